using Gateway.Auth;
using Gateway.Hosting;
using Gateway.Partners;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Proxy;

/// <summary>
/// <c>AddPartnerProxy()</c> / <c>MapPartnerProxy()</c>: the pass-through of payout-api.md
/// "Partner pass-through", for each partner's allow-listed read and check calls only. In order,
/// a call is: authenticated (401); exactly an allow-listed endpoint (<see cref="PassThroughGuard"/>,
/// 403); within its client's rate (<see cref="PassThroughLimits.ClientAsync"/>, 429); of a body
/// within 16 KiB (<see cref="PassThroughBody"/>, 413); within the partner's pass-through share
/// when the partner has a configured quota (<see cref="PassThroughLimits.PartnerShareAsync"/>, 429). Only then is it signed and forwarded:
/// to exactly the allow-listed path, without query, with only the caller's <c>Content-Type</c> and
/// <c>Accept</c> and the partner's own credentials (no <c>X-Forwarded-*</c>); the partner's
/// <c>Set-Cookie</c> and <c>Server</c> never reach the caller.
/// </summary>
public static class PartnerProxySetup
{
    /// <summary>The only headers of the caller's that reach a partner.</summary>
    private static readonly string[] ForwardedRequestHeaders = [HeaderNames.ContentType, HeaderNames.Accept];

    /// <summary>Headers of the partner's answer that never reach the caller.</summary>
    private static readonly string[] StrippedResponseHeaders = [HeaderNames.SetCookie, HeaderNames.Server];

    public static IServiceCollection AddPartnerProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().Bind(configuration.GetSection(ProxyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddSingleton<PassThroughClientLimiter>();
        services.AddSingleton<IProxyConfigProvider, PartnerProxyConfig>();
        // The gateway names no server software in its answers (the partner's Server header is
        // stripped from pass-through answers; Kestrel would otherwise add its own to every answer).
        services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        services.AddReverseProxy().AddTransforms(context =>
        {
            if (context.Route.Metadata?.GetValueOrDefault(PassThroughRoute.PartnerMetadata) is not { } partner
                || context.Route.Metadata.GetValueOrDefault(PassThroughRoute.EndpointMetadata) is not { } declared)
            {
                return;
            }

            var endpoint = PassThroughEndpoint.Parse(declared);
            var credentials = context.Services.GetRequiredService<PartnerRegistry>().Get(partner).ProxyCredentials
                ?? throw new InvalidOperationException($"{partner} has a pass-through route but no pass-through credentials.");
            context.UseDefaultForwarders = false;
            context.AddRequestHeadersAllowed(ForwardedRequestHeaders);
            context.AddPathSet(endpoint.Path);
            context.AddRequestTransform(ForwardExactly);
            context.AddRequestTransform(credentials.ApplyAsync);
            foreach (var header in StrippedResponseHeaders)
            {
                context.AddResponseHeaderRemove(header, ResponseCondition.Always);
            }
        });
        services.AddSingleton<IForwarderHttpClientFactory, PassThroughHttpClientFactory>();
        return services;
    }

    public static IEndpointRouteBuilder MapPartnerProxy(this IEndpointRouteBuilder app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(PassThroughGuard.EnforceAsync);
            proxy.Use(PassThroughLimits.ClientAsync);
            proxy.Use(PassThroughBody.EnforceAsync);
            proxy.Use(PassThroughLimits.PartnerShareAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });

        // Everything under /partners that is not an allow-listed route, behind the same key: a
        // partner the gateway routes payouts to is 403 (the call is not allowed; nothing is signed or
        // forwarded), any other name 404. Nothing here ever reaches a partner.
        app.Map("/partners/{partner}/{**path}", (string partner, PartnerRegistry partners) =>
                partners.IsEnabled(partner) ? Problems.PassThroughNotAllowed(partner) : Problems.UnknownPartner(partner))
            .RequireAuthorization(ApiKeyAuthentication.Policy)
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// No query string, and the body as buffered by <see cref="PassThroughBody"/> with its exact length
    /// (HttpClient would otherwise send it chunked).
    /// </summary>
    private static ValueTask ForwardExactly(RequestTransformContext context)
    {
        context.Query.Collection.Clear();
        if (context.ProxyRequest.Content is { } content)
        {
            content.Headers.ContentLength = context.HttpContext.Request.ContentLength ?? 0;
        }

        return ValueTask.CompletedTask;
    }
}
