using System.Globalization;
using System.Text.Json;
using Gateway.Storage;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Simulators.Ycb;
using StackExchange.Redis;

namespace Gateway.Tests.Ops;

/// <summary>
/// <c>GET /v1/diagnostics/failures</c> over long windows: whole hours come from the hourly
/// counters and give the same answer as the minute counters; one 7-day request costs a bounded
/// number of Redis commands, and a repeat within seconds costs none. A Redis server of its own,
/// so its command statistics count only this gateway.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class DiagnosticsCostTests(DiagnosticsCostTests.CostGateway gateway) : IClassFixture<DiagnosticsCostTests.CostGateway>
{
    [Fact]
    public async Task Failures_SevenDaysLaterReadFromHourlyCounters_MatchTheMinuteAnswer()
    {
        await gateway.SeedAsync();
        var ops = gateway.Factory.OpsClient();
        var byMinutes = await ops.GetJsonAsync("/v1/diagnostics/failures?window=1h");

        JsonElement byHours;
        gateway.Clock.Offset = TimeSpan.FromHours(3);
        try
        {
            byHours = await ops.GetJsonAsync("/v1/diagnostics/failures?window=7d");
        }
        finally
        {
            gateway.Clock.Offset = TimeSpan.Zero;
        }

        Assert.Equal(3, byMinutes.GetProperty("total").GetInt64());
        Assert.Equal(byMinutes.GetProperty("total").GetInt64(), byHours.GetProperty("total").GetInt64());
        foreach (var list in new[] { "byCategory", "byCause", "byPartner" })
        {
            Assert.Equal(byMinutes.GetProperty(list).GetRawText(), byHours.GetProperty(list).GetRawText());
        }

        Assert.Equal(0, byHours.GetProperty("bucketMinutes").GetInt32() % 60);
        Assert.InRange(byHours.GetProperty("timeline").GetArrayLength(), 20, 31);
        Assert.Equal(TimelineTotal(byMinutes), TimelineTotal(byHours));

        // What Redis holds: the hour's counters, written with the minute's.
        var hourKeys = gateway.Server.Keys(pattern: "gw:*:stats:hour:*").ToList();
        var failed = 0L;
        foreach (var key in hourKeys)
        {
            failed += (await gateway.Database.HashGetAllAsync(key)).Where(e => ((string)e.Name!).StartsWith("f|", StringComparison.Ordinal)).Sum(e => (long)e.Value);
        }

        Assert.Equal(3, failed);
    }

    [Fact]
    public async Task Failures_SevenDayWindow_CostsABoundedNumberOfRedisCommands_ARepeatCostsNone()
    {
        await gateway.SeedAsync();
        var ops = gateway.Factory.OpsClient();

        await gateway.Server.ExecuteAsync("CONFIG", "RESETSTAT");
        await ops.GetJsonAsync("/v1/diagnostics/failures?window=7d");
        var first = await CommandCallsAsync();
        await gateway.Server.ExecuteAsync("CONFIG", "RESETSTAT");
        await ops.GetJsonAsync("/v1/diagnostics/failures?window=7d");
        var repeat = await CommandCallsAsync();

        // 7 × 24 hours plus at most two partial hours of minutes: under 290 buckets, not 10,081,
        // each read in every one of the 16 shards (PayoutKeys), all pipelined.
        Assert.InRange(first.GetValueOrDefault("hgetall"), 100 * PayoutKeys.Shards, 290 * PayoutKeys.Shards);
        Assert.True(first.Values.Sum() <= 320 * PayoutKeys.Shards, "a 7-day window cost " + Describe(first));
        Assert.Equal(0, repeat.GetValueOrDefault("hgetall"));
        Assert.True(repeat.Values.Sum() <= 10, "a repeated 7-day window cost " + Describe(repeat));
    }

    private static long TimelineTotal(JsonElement report) => report.GetProperty("timeline").EnumerateArray()
        .SelectMany(p => p.GetProperty("byCause").EnumerateObject()).Sum(c => c.Value.GetInt64());

    private static string Describe(Dictionary<string, long> calls) => string.Join(", ", calls.Select(c => $"{c.Key}={c.Value}"));

    /// <summary>Calls per command since the last reset, leaving out the test's own INFO and CONFIG.</summary>
    private async Task<Dictionary<string, long>> CommandCallsAsync()
    {
        var info = (string)(await gateway.Server.ExecuteAsync("INFO", "commandstats"))!;
        return info.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("cmdstat_", StringComparison.Ordinal))
            .Select(l => (Name: l["cmdstat_".Length..l.IndexOf(':', StringComparison.Ordinal)],
                Calls: long.Parse(l.Split(':')[1].Split(',')[0].Split('=')[1], CultureInfo.InvariantCulture)))
            .Where(c => c.Name is not ("info" or "config"))
            .ToDictionary(c => c.Name, c => c.Calls, StringComparer.Ordinal);
    }

    /// <summary>A clock the test can move ahead; timers still run on the system clock.</summary>
    public sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    /// <summary>A ycb simulator, a Redis of its own and the gateway on a shiftable clock, with 1 success and 3 failures.</summary>
    public sealed class CostGateway : IAsyncLifetime
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private YcbSimulator _ycb = null!;
        private RedisServer _redis = null!;
        private ConnectionMultiplexer _connection = null!;
        private bool _seeded;

        public ShiftedClock Clock { get; } = new();

        public GatewayFactory Factory { get; private set; } = null!;

        public IServer Server => _connection.GetServers()[0];

        public IDatabase Database => _connection.GetDatabase();

        public async Task InitializeAsync()
        {
            _redis = await RedisServer.StartNewAsync();
            _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");
            _ycb = YcbSimulator.Start();
            Factory = new GatewayFactory(GatewayFactory.Settings(_redis.ConnectionString, _ycb.Url),
                services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
            _ = Factory.Server;
        }

        public async Task SeedAsync()
        {
            await _gate.WaitAsync();
            try
            {
                if (_seeded)
                {
                    return;
                }

                var client = Factory.ClientFor();
                foreach (var account in new[] { Accounts.New(), OpsGateway.FrozenAccount, OpsGateway.RiskAccount, OpsGateway.FrozenAccount })
                {
                    var payout = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: account))).JsonAsync();
                    Assert.NotEqual("processing", payout.Str("status"));
                }

                _seeded = true;
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task DisposeAsync()
        {
            await Factory.DisposeAsync();
            _ycb.Dispose();
            await _connection.DisposeAsync();
            await _redis.DisposeAsync();
            _gate.Dispose();
        }
    }
}
