using Gateway.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// Each endpoint has its own circuit breaker: a receiver failing every delivery opens its own circuit
/// (then its events are not even tried until it half-opens) while another endpoint keeps receiving.
/// </summary>
public sealed class WebhookCircuitTests : IDisposable
{
    private readonly WebhookReceiver _down = new() { Down = true };
    private readonly WebhookReceiver _up = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();

    public void Dispose()
    {
        _down.Dispose();
        _up.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task AFailingEndpoint_OpensOnlyItsOwnCircuit()
    {
        var options = new WebhookDeliveryOptions { BreakerMinimumThroughput = 3, BreakerBreakDuration = TimeSpan.FromMinutes(1), AttemptTimeout = TimeSpan.FromSeconds(2) };
        var delivery = new WebhookDelivery(_services.GetRequiredService<IHttpClientFactory>(), Options.Create(options), TimeProvider.System);
        var down = new WebhookEndpoint("lender", "default", new Uri(_down.Url), WebhookReceiver.Secret);
        var up = new WebhookEndpoint("lender", "audit", new Uri(_up.Url), WebhookReceiver.Secret);
        const string body = "{\"id\":\"evt_1\"}";

        var outcomes = new List<DeliveryOutcome>();
        for (var i = 0; i < 6; i++)
        {
            outcomes.Add((await delivery.SendAsync(down, body, CancellationToken.None)).Outcome);
        }

        Assert.Equal([DeliveryOutcome.Failed, DeliveryOutcome.Failed, DeliveryOutcome.Failed], outcomes.Take(3));
        Assert.Equal(DeliveryOutcome.CircuitOpen, outcomes[^1]);
        Assert.Equal(3, _down.Deliveries.Count);
        Assert.Equal(DeliveryOutcome.Delivered, (await delivery.SendAsync(up, body, CancellationToken.None)).Outcome);
        Assert.True(_up.Deliveries.Single().Verifies());
    }
}
