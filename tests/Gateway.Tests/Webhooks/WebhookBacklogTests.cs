using System.Net;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Ops;
using Gateway.Webhooks;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// A receiver that keeps failing: the outbox's backlog shows in <c>/v1/diagnostics/webhooks</c> and in the
/// sampled gauges, the oldest undelivered event's age grows, and once the receiver answers the backlog drains.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class WebhookBacklogTests(RedisFixture redis, WebhookBacklogTests.Harness harness) : IClassFixture<WebhookBacklogTests.Harness>
{
    [Fact]
    public async Task AFailingReceiver_ShowsAsUndeliveredBacklog_WithAGrowingOldestAge_ThenDrains()
    {
        var gateway = harness.Gateway(redis);
        var client = gateway.ClientFor();
        var ops = gateway.OpsClient();
        harness.Receiver.Down = true;
        var response = await client.SubmitAsync(Api.NewKey(), Api.Body());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var eventId = WebhookEvent.IdOf((await response.JsonAsync()).Str("id"));
        await Eventually.HoldsAsync(() => harness.Receiver.Deliveries.Count(d => d.EventId == eventId) >= 2, "the receiver failed the event twice", TimeSpan.FromSeconds(20));

        var first = (await ops.GetJsonAsync("/v1/diagnostics/webhooks")).GetProperty("outbox");
        Assert.True(first.GetProperty("undelivered").GetInt64() >= 1, first.GetRawText());
        Assert.Equal(first.GetProperty("entries").GetInt64() - first.GetProperty("deadLetters").GetInt64(), first.GetProperty("undelivered").GetInt64());
        Assert.Equal(0, first.GetProperty("deadLetters").GetInt64());
        var firstAge = first.GetProperty("oldestUndeliveredAgeSeconds").GetDouble();
        Assert.True(firstAge > 0, first.GetRawText());

        // The gauges: sampled in the background (here every 200 ms), the age growing from scrape to scrape.
        double scrapedAge = 0;
        await Eventually.HoldsAsync(async () =>
        {
            var scrape = PrometheusScrape.Parse(await gateway.AnonymousClient().GetStringAsync("/metrics"));
            scrapedAge = scrape.Sum("gateway_webhook_outbox_oldest_age_seconds");
            return scrape.Sum("gateway_webhook_outbox_undelivered") >= 1 && scrapedAge >= firstAge;
        }, "the undelivered gauges", TimeSpan.FromSeconds(10));
        await Task.Delay(1500);
        var second = (await ops.GetJsonAsync("/v1/diagnostics/webhooks")).GetProperty("outbox");
        Assert.True(second.GetProperty("oldestUndeliveredAgeSeconds").GetDouble() >= firstAge + 1, $"{firstAge} then {second.GetRawText()}");
        var later = PrometheusScrape.Parse(await gateway.AnonymousClient().GetStringAsync("/metrics"));
        Assert.True(later.Sum("gateway_webhook_outbox_oldest_age_seconds") >= scrapedAge + 1);

        harness.Receiver.Down = false;
        await Eventually.HoldsAsync(() => harness.Receiver.Delivered.Contains(eventId), "delivered once the receiver answers", TimeSpan.FromSeconds(20));
        await Eventually.HoldsAsync(async () =>
        {
            var outbox = (await ops.GetJsonAsync("/v1/diagnostics/webhooks")).GetProperty("outbox");
            var scrape = PrometheusScrape.Parse(await gateway.AnonymousClient().GetStringAsync("/metrics"));
            return outbox.GetProperty("undelivered").GetInt64() == 0 && outbox.GetProperty("oldestUndeliveredAgeSeconds").GetDouble() == 0
                && scrape.Sum("gateway_webhook_outbox_undelivered") == 0 && scrape.Sum("gateway_webhook_outbox_oldest_age_seconds") == 0;
        }, "the backlog drained", TimeSpan.FromSeconds(10));
    }

    public sealed class Harness : YcbHarness
    {
        public WebhookReceiver Receiver { get; } = new();

        protected override void Configure(Dictionary<string, string?> settings)
        {
            Receiver.ApplyTo(settings, GatewayFactory.ClientA);
            WebhookSettings.Fast(settings);
            settings["Metrics:BacklogSampleInterval"] = "00:00:00.200";
        }

        protected override void StopSimulators()
        {
            base.StopSimulators();
            Receiver.Dispose();
        }
    }
}
