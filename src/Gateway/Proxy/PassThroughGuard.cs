using Gateway.Auth;
using Gateway.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;
using Gateway.Partners;

namespace Gateway.Proxy;

/// <summary>
/// The first step of every pass-through call, before any limit is touched or anything is read,
/// signed or forwarded: the call must be exactly one allow-listed <see cref="PassThroughEndpoint"/>
/// of its route. Routing alone is not enough — Kestrel decodes <c>%xx</c> escapes, removes dot
/// segments (<c>.</c>, <c>..</c>, <c>%2e%2e</c>) and routing ignores case — so the request target as
/// it came on the wire (<see cref="IHttpRequestFeature.RawTarget"/>) must equal
/// <c>/partners/&lt;partner&gt;&lt;path&gt;</c> character for character: no escape of any kind
/// (<c>%2F</c>, <c>%5C</c>), no dot segment, no double or trailing slash, no backslash, no
/// <c>;</c> parameter, no query, no absolute-form target, the declared case; and the method must be
/// the declared one. Anything else is 403 <c>passthrough-not-allowed</c>.
/// </summary>
internal static class PassThroughGuard
{
    public static async Task EnforceAsync(HttpContext context, Func<Task> next)
    {
        var (partner, endpoint) = PassThroughRoute.Of(context);
        if (!Matches(context, partner, endpoint))
        {
            PassThroughLog.NotAllowed(Logger(context), partner, Printable(context.Request.Method), context.ClientName());
            await Problems.PassThroughNotAllowed(partner).ExecuteAsync(context);
            return;
        }

        await next();
    }

    /// <summary>
    /// Exact method, exact raw target, and the decoded path and query agreeing with it. Kestrel (like
    /// HTTP.sys and IIS) always reports the raw target; only the in-memory test server reports none,
    /// and then the path and query alone must match. Either way what is forwarded is the
    /// allow-listed path itself, never the caller's.
    /// </summary>
    internal static bool Matches(HttpContext context, string partner, PassThroughEndpoint endpoint)
    {
        var request = context.Request;
        var target = PassThroughRoute.Prefix(partner) + endpoint.Path;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return string.Equals(request.Method, endpoint.Method, StringComparison.Ordinal)
            && (string.IsNullOrEmpty(raw) || string.Equals(raw, target, StringComparison.Ordinal))
            && !request.PathBase.HasValue
            && string.Equals(request.Path.Value, target, StringComparison.Ordinal)
            && !request.QueryString.HasValue;
    }

    /// <summary>A method is a token a caller chose: only letters reach the log, at most 16 of them.</summary>
    private static string Printable(string method) =>
        method.Length <= 16 && method.All(char.IsAsciiLetter) ? method : "(other)";

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PassThroughGuard));
}

/// <summary>The partner and allow-listed endpoint a pass-through route was built for (its metadata).</summary>
internal static class PassThroughRoute
{
    public const string PartnerMetadata = "partner";
    public const string EndpointMetadata = "passthrough-endpoint";

    public static string Prefix(string partner) => "/partners/" + partner;

    public static (string Partner, PassThroughEndpoint Endpoint) Of(HttpContext context)
    {
        var metadata = context.GetReverseProxyFeature().Route.Config.Metadata!;
        return (metadata[PartnerMetadata], PassThroughEndpoint.Parse(metadata[EndpointMetadata]));
    }
}
