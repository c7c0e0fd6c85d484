using System.Text.Json;
using Gateway.Core;
using Gateway.Hosting;
using Gateway.Payouts;

namespace Gateway.Webhooks;

/// <summary>
/// A final-status event as the receiver gets it (payout-api.md, "Webhooks"):
/// <c>{ id, type, createdAt, data }</c>, <c>data</c> the payout resource masked as in the API.
/// </summary>
public sealed record WebhookEvent(string Id, string Type, DateTimeOffset CreatedAt, PayoutResource Data)
{
    public const string Succeeded = "payout.succeeded";
    public const string Failed = "payout.failed";

    /// <summary>
    /// The event id of <paramref name="payoutId"/>'s final status: <c>evt_</c> and the id's random part.
    /// A payout has one final status, which never changes, so one event id, the same for every
    /// delivery, every re-run of the final save and every instance, with nothing stored to agree on it.
    /// </summary>
    public static string IdOf(string payoutId) =>
        "evt_" + (payoutId.StartsWith("po_", StringComparison.Ordinal) ? payoutId[3..] : payoutId);

    /// <summary>The payout id of an event id made by <see cref="IdOf"/>.</summary>
    public static string PayoutIdOf(string eventId) =>
        eventId.StartsWith("evt_", StringComparison.Ordinal) ? "po_" + eventId[4..] : eventId;

    /// <summary>The event of a payout that just became final; null while it is still processing.</summary>
    public static WebhookEvent? Of(PayoutRecord payout) => payout.Status switch
    {
        PayoutStatus.Succeeded => new(IdOf(payout.Id), Succeeded, payout.CompletedAt ?? payout.CreatedAt, PayoutResource.From(payout)),
        PayoutStatus.Failed => new(IdOf(payout.Id), Failed, payout.CompletedAt ?? payout.CreatedAt, PayoutResource.From(payout)),
        _ => null,
    };

    /// <summary>The raw body every delivery of this event sends (and signs): written once, when the event is recorded.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, GatewayJson.Options);
}
