using Gateway.Auth;
using Gateway.Hosting;
using Gateway.Partners;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Proxy;

/// <summary>
/// <c>AddPartnerProxy()</c> / <c>MapPartnerProxy()</c>: the pass-through routes of payout-api.md.
/// Outbound, the caller's <c>X-Api-Key</c> is stripped and the partner's own credentials or
/// signature are added; each call takes a permit from the partner's quota.
/// </summary>
public static class PartnerProxySetup
{
    public static IServiceCollection AddPartnerProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().Bind(configuration.GetSection(ProxyOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IProxyConfigProvider, PartnerProxyConfig>();
        services.AddReverseProxy().AddTransforms(context =>
        {
            if (context.Route.Metadata?.GetValueOrDefault(PartnerProxyConfig.PartnerMetadata) is not { } partner)
            {
                return;
            }

            var credentials = context.Services.GetRequiredKeyedService<IPartnerProxyCredentials>(partner);
            context.AddPathRemovePrefix("/partners/" + partner);
            context.AddRequestHeaderRemove(ApiKeyAuthenticationHandler.HeaderName);
            context.AddRequestTransform(credentials.ApplyAsync);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapPartnerProxy(this IEndpointRouteBuilder app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(PartnerQuota.EnforceAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });

        // A partner the gateway does not know (or has not enabled) is 404, behind the same key.
        app.Map("/partners/{partner}/{**path}", (string partner) => Problems.UnknownPartner(partner))
            .RequireAuthorization(ApiKeyAuthentication.Policy)
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>Each pass-through call takes a permit from the partner's quota, shared with its disbursements.</summary>
    private static class PartnerQuota
    {
        public static async Task EnforceAsync(HttpContext context, Func<Task> next)
        {
            var partner = context.GetReverseProxyFeature().Route.Config.Metadata![PartnerProxyConfig.PartnerMetadata];
            var limiter = context.RequestServices.GetRequiredService<PartnerRateLimiters>().For(partner);
            using var lease = await limiter.AcquireAsync(1, context.RequestAborted);
            if (!lease.IsAcquired)
            {
                if (lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retryAfter))
                {
                    context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                        .ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await Problems.PartnerQuotaExceeded(partner).ExecuteAsync(context);
                return;
            }

            await next();
        }
    }
}
