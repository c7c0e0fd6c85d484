using System.Net;
using Gateway.Tests.Fixtures;
using Gateway.Webhooks;
using Orchestration;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// kill -9 of a gateway process while a delivery hangs at the receiver: the entry stays pending with
/// the dead instance and is taken over (<c>XAUTOCLAIM</c> after <c>WebhookDelivery:ClaimIdle</c>) by the
/// restarted process, or by another instance running beside it; no event is lost.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class WebhookKillTests(RedisFixture redis) : IDisposable
{
    private readonly Simulators.Ycb.YcbSimulator _ycb = Simulators.Ycb.YcbSimulator.Start(new Simulators.Ycb.YcbSimulatorOptions());
    private readonly WebhookReceiver _receiver = new() { HangFirst = 1, HangFor = TimeSpan.FromSeconds(4) };

    public void Dispose()
    {
        _ycb.Dispose();
        _receiver.Dispose();
    }

    [Fact]
    public async Task KilledMidDelivery_TheRestartedGatewayDeliversTheEvent()
    {
        var settings = Settings();
        string eventId;
        await using (var first = await GatewayProcesses.StartAsync(settings))
        {
            using var client = first.ClientFor();
            eventId = WebhookEvent.IdOf((await SubmitAsync(client)));
            await Eventually.HoldsAsync(() => _receiver.Arrived >= 1, "the first delivery never arrived");
            await first.KillAsync();
        }

        Assert.DoesNotContain(eventId, _receiver.Delivered);
        await using var second = await GatewayProcesses.StartAsync(settings);
        await Eventually.HoldsAsync(() => _receiver.Delivered.Contains(eventId), "the restarted gateway never delivered", TimeSpan.FromSeconds(30));
        Assert.All(_receiver.Deliveries.Where(d => d.EventId == eventId), d => Assert.True(d.Verifies()));
    }

    [Fact]
    public async Task TwoInstances_OneKilledMidDelivery_TheOtherDeliversEveryEvent()
    {
        // The victim alone reads the first event and hangs on its delivery; the survivor starts beside it, then the victim dies.
        var settings = Settings();
        settings["WebhookDelivery:AttemptTimeout"] = "00:00:10";
        settings["WebhookDelivery:ClaimIdle"] = "00:00:11";
        _receiver.HangFor = TimeSpan.FromSeconds(12);
        var events = new List<string>();
        var victim = await GatewayProcesses.StartAsync(settings);
        GatewayProcess survivor;
        try
        {
            using var victimClient = victim.ClientFor();
            events.Add(WebhookEvent.IdOf(await SubmitAsync(victimClient)));
            await Eventually.HoldsAsync(() => _receiver.Arrived >= 1, "no delivery arrived");
            survivor = await GatewayProcesses.StartAsync(settings);
            events.Add(WebhookEvent.IdOf(await SubmitAsync(victimClient)));
            Assert.DoesNotContain(events[0], _receiver.Delivered);
            await victim.KillAsync();
        }
        finally
        {
            await victim.DisposeAsync();
        }

        await using (survivor)
        {
            using var survivorClient = survivor.ClientFor();
            events.Add(WebhookEvent.IdOf(await SubmitAsync(survivorClient)));
            await Eventually.HoldsAsync(() => events.All(_receiver.Delivered.Contains),
                $"events never delivered: {string.Join(", ", events.Where(e => !_receiver.Delivered.Contains(e)))}", TimeSpan.FromSeconds(40));
        }
    }

    private static async Task<string> SubmitAsync(HttpClient client)
    {
        var response = await client.SubmitAsync(Api.NewKey(), Api.Body());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payout = await client.WaitFinalAsync((await response.JsonAsync()).Str("id"));
        return payout.Str("id");
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>(GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), _ycb.Url));
        _receiver.ApplyTo(settings, GatewayFactory.ClientA);
        WebhookSettings.Fast(settings);
        // Long enough for the kill to land mid-delivery; the take-over follows ClaimIdle later.
        settings["WebhookDelivery:AttemptTimeout"] = "00:00:06";
        settings["WebhookDelivery:ClaimIdle"] = "00:00:07";
        return settings;
    }
}
