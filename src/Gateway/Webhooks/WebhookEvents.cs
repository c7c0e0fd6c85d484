using Gateway.Core;
using Gateway.Storage;

namespace Gateway.Webhooks;

/// <summary>
/// The event the final save of a payout records in the outbox (<see cref="IFinalStatusEvents"/>): for
/// clients with at least one endpoint, the event's fixed id, type and body, and one outbox entry per endpoint.
/// </summary>
public sealed class WebhookEvents(WebhookEndpoints endpoints) : IFinalStatusEvents
{
    public OutboxEvent? EventOf(PayoutRecord payout)
    {
        var receivers = endpoints.Of(payout.Client);
        if (receivers.Count == 0 || WebhookEvent.Of(payout) is not { } evt)
        {
            return null;
        }

        return new OutboxEvent(evt.Id, evt.Type, evt.ToJson(), [.. receivers.Select(r => r.Name)]);
    }
}
