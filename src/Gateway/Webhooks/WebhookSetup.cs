using Gateway.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// <c>AddWebhooks()</c>: final-status notifications (payout-api.md, "Webhooks"). The event is recorded
/// in the outbox by the final save itself (Storage); this wires the endpoints of <c>Webhooks:*</c>,
/// the delivery options of <c>WebhookDelivery:*</c>, validated at start-up.
/// </summary>
public static class WebhookSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookDeliveryOptions>().Bind(configuration.GetSection(WebhookDeliveryOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookDeliveryOptions>>(new WebhookDeliveryOptionsValidator(configuration));
        services.AddSingleton(_ => new WebhookEndpoints(BindClients(configuration)));
        services.AddSingleton<IFinalStatusEvents, WebhookEvents>();
        services.AddSingleton<IWebhookOutbox, WebhookOutbox>();
        return services;
    }

    /// <summary>The clients of <c>Webhooks:*</c> as configured (unvalidated).</summary>
    internal static IReadOnlyDictionary<string, WebhookClientOptions> BindClients(IConfiguration configuration) =>
        configuration.GetSection(WebhookClientOptions.Section).Get<Dictionary<string, WebhookClientOptions>>()
        ?? new Dictionary<string, WebhookClientOptions>(StringComparer.Ordinal);
}
