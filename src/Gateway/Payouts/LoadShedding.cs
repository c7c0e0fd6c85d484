using System.Threading.RateLimiting;
using Gateway.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gateway.Payouts;

/// <summary>
/// Sheds load on <c>POST /v1/payouts</c>: at most <see cref="PayoutsOptions.MaxConcurrentSubmissions"/>
/// at once, the rest answered 429 with Retry-After at once (no queue, so a caller's timeout never
/// hides a payout that was in fact accepted). Nothing of a shed request is stored.
/// </summary>
public static class LoadShedding
{
    public const string Policy = "payout-submissions";

    public static IServiceCollection AddPayoutLoadShedding(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<PayoutsOptions>>().Value;
                return RateLimitPartition.GetConcurrencyLimiter("all", _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = options.MaxConcurrentSubmissions,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await Problems.Overloaded().ExecuteAsync(context.HttpContext);
            };
        });
}
