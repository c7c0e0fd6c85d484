using Gateway.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// <c>AddWebhooks()</c>: final-status notifications (payout-api.md, "Webhooks"). The event is recorded
/// in the outbox by the final save itself (Storage); this wires the endpoints of <c>Webhooks:*</c>,
/// the delivery options of <c>WebhookDelivery:*</c>, validated at start-up, and the dispatcher
/// (<see cref="WebhookDispatcher"/>) that delivers the outbox.
/// </summary>
public static class WebhookSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookDeliveryOptions>().Bind(configuration.GetSection(WebhookDeliveryOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookDeliveryOptions>>(new WebhookDeliveryOptionsValidator(configuration));
        services.AddSingleton(sp => WebhookEndpoints.Following(configuration, sp.GetRequiredService<ILogger<WebhookEndpoints>>()));
        services.AddSingleton<IFinalStatusEvents, WebhookEvents>();
        services.AddSingleton<IWebhookOutbox, WebhookOutbox>();
        services.AddSingleton<WebhookDelivery>();
        services.AddSingleton<WebhookMetrics>();
        // Its own client: no default timeout (the pipeline's attempt timeout), no redirects followed, connections recycled.
        services.AddHttpClient(WebhookDelivery.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            });
        services.AddSingleton<WebhookBacklogSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookBacklogSampler>());
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return services;
    }

    /// <summary>The clients of <c>Webhooks:*</c> as configured (unvalidated).</summary>
    internal static IReadOnlyDictionary<string, WebhookClientOptions> BindClients(IConfiguration configuration) =>
        configuration.GetSection(WebhookClientOptions.Section).Get<Dictionary<string, WebhookClientOptions>>()
        ?? new Dictionary<string, WebhookClientOptions>(StringComparer.Ordinal);
}
