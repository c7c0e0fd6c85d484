using System.Diagnostics.Metrics;
using Gateway.Partners;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Polly.RateLimiting;
using Serilog.Events;

namespace Gateway.Tests.Partners;

/// <summary>
/// A configured quota that is saturated is visible: each disbursement that waits for a permit or is
/// refused counts in <c>gateway.partner.quota.saturated{partner,outcome}</c>, and a warning is
/// logged, at most one per partner per 10 s, with the counts since the last one.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PartnerQuotaSaturationTests(RedisFixture redis, PartnerQuotaSaturationTests.Harness harness)
    : IClassFixture<PartnerQuotaSaturationTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task QuotaSaturated_CountsQueuedAndRefusedAndWarnsOnce()
    {
        var ycb = _gateway.Services.GetRequiredService<PartnerRegistry>().Get("ycb");
        using var saturated = new SaturationListener(_gateway.Services.GetRequiredService<IMeterFactory>());
        var answer = new PartnerAnswer { Outcome = PartnerOutcome.Succeeded, Label = "succeeded" };
        using var cancel = new CancellationTokenSource();

        // One permit a minute, one place in the queue: the first goes, the second waits, the rest are refused.
        var first = await ycb.Disburse.ExecuteAsync(static (a, _) => ValueTask.FromResult(a), answer, cancel.Token);
        var waiting = ycb.Disburse.ExecuteAsync(static (a, _) => ValueTask.FromResult(a), answer, cancel.Token).AsTask();
        await Assert.ThrowsAsync<RateLimiterRejectedException>(async () =>
            await ycb.Disburse.ExecuteAsync(static (a, _) => ValueTask.FromResult(a), answer, CancellationToken.None));
        await Assert.ThrowsAsync<RateLimiterRejectedException>(async () =>
            await ycb.Disburse.ExecuteAsync(static (a, _) => ValueTask.FromResult(a), answer, CancellationToken.None));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        Assert.Equal("succeeded", first.Label);
        Assert.Equal(1, saturated.Count("ycb", "queued"));
        Assert.Equal(2, saturated.Count("ycb", "refused"));
        var warnings = _gateway.Logs.Events
            .Where(e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.Contains("quota saturated", StringComparison.Ordinal))
            .ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal("\"ycb\"", warning.Properties["Partner"].ToString());
        Assert.Equal("1", warning.Properties["Queued"].ToString());
        Assert.Equal("0", warning.Properties["Refused"].ToString());
    }

    [Fact]
    public void Alarm_WarnsAtMostOncePerQuietSpell_WithTheCountsSinceTheLastWarning()
    {
        var time = new FakeTimeProvider();
        var log = new ListLogger();
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var saturated = new SaturationListener(meters.GetRequiredService<IMeterFactory>());
        var alarm = new QuotaAlarm("prb", new RateLimitOptions { Permits = 10 }, new GatewayMetrics(meters.GetRequiredService<IMeterFactory>()), time, log);

        alarm.Saturated(QuotaAlarm.Queued);
        alarm.Saturated(QuotaAlarm.Queued);
        alarm.Saturated(QuotaAlarm.Refused);
        time.Advance(TimeSpan.FromSeconds(9));
        alarm.Saturated(QuotaAlarm.Refused);
        Assert.Single(log.Warnings);

        time.Advance(TimeSpan.FromSeconds(2));
        alarm.Saturated(QuotaAlarm.Queued);

        Assert.Equal(2, log.Warnings.Count);
        Assert.Contains("1 disbursements waited for a permit and 0 were refused", log.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("2 disbursements waited for a permit and 2 were refused", log.Warnings[1], StringComparison.Ordinal);
        Assert.Equal(3, saturated.Count("prb", "queued"));
        Assert.Equal(2, saturated.Count("prb", "refused"));
    }

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Partners:ycb:RateLimit:Permits"] = "1";
            settings["Partners:ycb:RateLimit:Period"] = "00:01:00";
            settings["Partners:ycb:RateLimit:QueueLimit"] = "1";
            settings["Partners:ycb:RateLimit:PassThroughShare"] = "0";
        }
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}

/// <summary>The <c>gateway.partner.quota.saturated</c> measurements of one host's meters only (other hosts share the process).</summary>
internal sealed class SaturationListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<(string Partner, string Outcome), long> _counts = [];
    private readonly Lock _gate = new();

    public SaturationListener(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "gateway.partner.quota.saturated" && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? partner = null, outcome = null;
            foreach (var tag in tags)
            {
                partner = tag.Key == "partner" ? tag.Value as string : partner;
                outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
            }

            lock (_gate)
            {
                _counts[(partner ?? "", outcome ?? "")] = _counts.GetValueOrDefault((partner ?? "", outcome ?? "")) + value;
            }
        });
        _listener.Start();
    }

    public long Count(string partner, string outcome)
    {
        lock (_gate)
        {
            return _counts.GetValueOrDefault((partner, outcome));
        }
    }

    public void Dispose() => _listener.Dispose();
}
