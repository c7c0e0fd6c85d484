using System.Text.RegularExpressions;
using Gateway.Partners;
using Gateway.Storage;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Ops;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Deploy;

/// <summary>
/// Every <c>gateway_*</c> metric that the Prometheus alert rules and the Grafana dashboard under
/// <c>deploy/</c> query is one the gateway's <c>GET /metrics</c> really exports, under that
/// name, once each instrument has recorded a value.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class DeployMetricNamesTests(RedisFixture redis)
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_count", "_sum"];
    private static readonly string[] DeployFiles = ["deploy/prometheus/alerts.yml", "deploy/grafana/dashboards/gateway.json"];

    [Fact]
    public async Task AlertRulesAndDashboard_QueryOnlyMetricsTheGatewayExports()
    {
        await using var factory = new GatewayFactory(GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), "http://127.0.0.1:1"));
        using var client = factory.AnonymousClient();
        var metrics = factory.Services.GetRequiredService<GatewayMetrics>();
        metrics.PartnerQuotaSaturated("ycb", "refused");
        metrics.PartnerCallFinished("ycb", "disburse", "succeeded", TimeSpan.FromMilliseconds(12));
        metrics.PayoutCompleted(new PayoutRecord
        {
            Id = "po_aaaaaaaaaaaaaaaaaaaaaaaaaa",
            Client = GatewayFactory.ClientA,
            LoanId = "LN-1",
            Amount = 1m,
            Currency = "CNY",
            Beneficiary = new Beneficiary("name", "6222020200112233445", "ICBC"),
            Status = PayoutStatus.Succeeded,
            Partner = "ycb",
            CreatedAt = DateTimeOffset.UnixEpoch,
        });

        var recovery = factory.Services.GetRequiredService<RecoveryMetrics>();
        recovery.TookOver();
        recovery.HandedOver();
        recovery.LeaseLost();
        recovery.FencingRefused("save");
        factory.Services.GetRequiredService<StoreEpoch>().CountRefusal();
        await factory.Services.GetRequiredService<PayoutBacklogSampler>().SampleOnceAsync();
        var webhooks = factory.Services.GetRequiredService<Gateway.Webhooks.WebhookMetrics>();
        webhooks.Attempted(GatewayFactory.ClientA, "default", Gateway.Webhooks.DeliveryOutcome.Failed);
        webhooks.DeadLettered(GatewayFactory.ClientA);
        webhooks.Purged(1);
        await factory.Services.GetRequiredService<Gateway.Webhooks.WebhookBacklogSampler>().SampleOnceAsync();

        var scrape = PrometheusScrape.Parse(await client.GetStringAsync("/metrics"));

        var root = RepoRoot();
        var queried = DeployFiles
            .SelectMany(file => MetricName().Matches(File.ReadAllText(Path.Combine(root, file))).Select(m => (File: file, Name: m.Value.TrimEnd('_'))))
            .Distinct()
            .ToList();
        Assert.Contains(queried, q => q.Name == "gateway_partner_quota_saturated_total");
        Assert.Contains(queried, q => q.Name == "gateway_partner_circuit_state");
        var missing = queried.Where(q => !Exported(scrape, q.Name)).Select(q => $"{q.File}: {q.Name}").ToList();
        Assert.True(missing.Count == 0, "Not exported by GET /metrics: " + string.Join(", ", missing)
            + ". Exported: " + string.Join(", ", scrape.Types.Keys.Where(k => k.StartsWith("gateway_", StringComparison.Ordinal))));
    }

    private static bool Exported(PrometheusScrape scrape, string name) =>
        scrape.Types.ContainsKey(name)
        || HistogramSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal)
            && scrape.Types.TryGetValue(name[..^suffix.Length], out var type) && type == "histogram");

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("gateway_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
