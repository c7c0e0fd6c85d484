using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.Auth;
using Gateway.Hosting;
using Gateway.Partners;

namespace Gateway.Proxy;

/// <summary>
/// Pass-through's two rates, each refused at once with 429 and a <c>Retry-After</c> read from the
/// bucket (when its next permit is due): the caller's own (<see cref="PassThroughClientLimiter"/>),
/// checked before its body is read; then the partner's pass-through share
/// (<see cref="PartnerQuota.PassThrough"/>), which can never take a disbursement's permit; a partner
/// without a configured quota has no share to check.
/// </summary>
internal static class PassThroughLimits
{
    public static async Task ClientAsync(HttpContext context, Func<Task> next)
    {
        var (partner, _) = PassThroughRoute.Of(context);
        var client = context.ClientName();
        using var lease = context.RequestServices.GetRequiredService<PassThroughClientLimiter>().Acquire(client);
        if (!lease.IsAcquired)
        {
            var retryAfter = SetRetryAfter(context, lease);
            PassThroughLog.RateLimited(Logger(context), partner, client, "client", retryAfter);
            await Problems.PassThroughRateLimited(client).ExecuteAsync(context);
            return;
        }

        await next();
    }

    public static async Task PartnerShareAsync(HttpContext context, Func<Task> next)
    {
        var (partner, _) = PassThroughRoute.Of(context);
        if (context.RequestServices.GetRequiredService<PartnerRegistry>().Get(partner).Quota is not { } quota)
        {
            // No quota configured for the partner: nothing but the client's own rate limits pass-through.
            await next();
            return;
        }

        var limiter = quota.PassThrough
            ?? throw new InvalidOperationException($"{partner} has a pass-through route but no pass-through share.");
        // The share is global (one bucket in Redis for every instance): AcquireAsync takes from the
        // chunk at hand or asks the bucket; with no queue it never waits past that one round trip.
        // Redis unreachable: no permit (fail closed), so the call is refused like one over the share.
        using var lease = await limiter.AcquireAsync(1, context.RequestAborted);
        if (!lease.IsAcquired)
        {
            var retryAfter = SetRetryAfter(context, lease);
            PassThroughLog.RateLimited(Logger(context), partner, context.ClientName(), "partner share", retryAfter);
            await Problems.PartnerQuotaExceeded(partner).ExecuteAsync(context);
            return;
        }

        await next();
    }

    /// <summary>Whole seconds, rounded up, at least 1: never earlier than the bucket's next permit.</summary>
    private static int SetRetryAfter(HttpContext context, RateLimitLease lease)
    {
        var seconds = KeyedTokenBucket.RetryAfterSeconds(lease);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PassThroughLimits));
}
