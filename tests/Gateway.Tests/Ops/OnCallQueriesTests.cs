using System.Net;
using System.Text.Json;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Ops;

/// <summary>
/// What an on-call engineer asks of a seeded set of payouts: the list with its filters and
/// cursor, the failure counts of the last hour, and the partner view.
/// </summary>
/// <summary>Run on a single Redis node (<see cref="OnCallQueriesTests"/>) and on a three-primary cluster (<see cref="OnCallQueriesClusterTests"/>).</summary>
public abstract class OnCallQueriesCases(IGatewayRedis redis, OnCallQueriesCases.Harness harness)
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task List_ByStatus_ReturnsOnlyThoseNewestFirst()
    {
        var seeded = await harness.SeedAsync(_gateway);

        var page = await _gateway.ClientFor().GetJsonAsync("/v1/payouts?status=failed&limit=200");

        var ids = Ids(page);
        Assert.Equal(seeded.Failed.OrderByDescending(p => p.CreatedAt).Select(p => p.Id), ids);
        Assert.False(page.TryGetProperty("nextCursor", out _));
        Assert.All(page.GetProperty("items").EnumerateArray(), p => Assert.Equal("************" + p.Str("beneficiary.accountNumber")[^4..], p.Str("beneficiary.accountNumber")));
    }

    [Fact]
    public async Task List_ByCauseCategoryAndPartner_FiltersAsAsked()
    {
        var seeded = await harness.SeedAsync(_gateway);
        var client = _gateway.ClientFor();

        var frozen = Ids(await client.GetJsonAsync("/v1/payouts?cause=ACCOUNT_FROZEN"));
        var accounts = Ids(await client.GetJsonAsync("/v1/payouts?category=beneficiary_account&status=failed"));
        var succeededAtYcb = Ids(await client.GetJsonAsync("/v1/payouts?partner=ycb&status=succeeded"));

        Assert.Equal(seeded.Failed.Where(p => p.Cause == "ACCOUNT_FROZEN").Select(p => p.Id).Order(), frozen.Order());
        Assert.Equal(2, frozen.Count);
        Assert.Equal(seeded.Failed.Where(p => p.Cause is "ACCOUNT_FROZEN" or "ACCOUNT_INVALID").Select(p => p.Id).Order(), accounts.Order());
        Assert.Equal(seeded.Succeeded.Select(p => p.Id).Order(), succeededAtYcb.Order());
    }

    [Fact]
    public async Task List_PagedWithCursor_VisitsEveryPayoutOnceNewestFirst()
    {
        var seeded = await harness.SeedAsync(_gateway);
        var client = _gateway.ClientFor();
        var seen = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 20; pages++)
        {
            var page = await client.GetJsonAsync("/v1/payouts?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(Ids(page));
            if (!page.TryGetProperty("nextCursor", out var next))
            {
                break;
            }

            cursor = next.GetString();
        }

        Assert.Equal(seeded.All.OrderByDescending(p => p.CreatedAt).Select(p => p.Id), seen);
    }

    [Fact]
    public async Task List_OtherClient_SeesNoneOfThem()
    {
        await harness.SeedAsync(_gateway);

        var page = await _gateway.ClientFor(GatewayFactory.KeyB).GetJsonAsync("/v1/payouts");

        Assert.Empty(Ids(page));
    }

    [Fact]
    public async Task List_BadFilters_Returns400NamingEachParameter()
    {
        var response = await _gateway.ClientFor().GetAsync("/v1/payouts?status=done&cause=NOPE&limit=0&since=yesterday&cursor=zzz&category=weather");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "status", "cause", "limit", "since", "cursor", "category" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}");
        }
    }

    [Fact]
    public async Task Failures_LastHour_CountsByCategoryCauseAndPartnerWithLatestExamples()
    {
        var seeded = await harness.SeedAsync(_gateway);

        var report = await _gateway.OpsClient().GetJsonAsync("/v1/diagnostics/failures?window=1h");

        Assert.Equal(seeded.Failed.Count, report.GetProperty("total").GetInt64());
        var byCause = report.GetProperty("byCause").EnumerateArray().ToDictionary(c => c.Str("cause"));
        foreach (var group in seeded.Failed.GroupBy(p => p.Cause))
        {
            var row = byCause[group.Key!];
            Assert.Equal(group.Count(), row.GetProperty("count").GetInt64());
            Assert.Contains(row.Str("latestPayoutId"), group.Select(p => p.Id));
        }

        Assert.Equal("borrower", byCause["ACCOUNT_FROZEN"].Str("owner"));
        Assert.Equal("risk", byCause["RISK_DECLINED"].Str("owner"));
        var beneficiary = report.GetProperty("byCategory").EnumerateArray().Single(c => c.Str("category") == "beneficiary_account");
        Assert.Equal(3, beneficiary.GetProperty("count").GetInt64());
        var ycb = report.GetProperty("byPartner").EnumerateArray().Single();
        Assert.Equal("ycb", ycb.Str("partner"));
        Assert.Equal(seeded.Failed.Count, ycb.GetProperty("count").GetInt64());
        var timelineTotal = report.GetProperty("timeline").EnumerateArray()
            .SelectMany(p => p.GetProperty("byCause").EnumerateObject()).Sum(c => c.Value.GetInt64());
        Assert.Equal(seeded.Failed.Count, timelineTotal);
    }

    [Fact]
    public async Task Failures_BadWindow_Returns400()
    {
        var response = await _gateway.OpsClient().GetAsync("/v1/diagnostics/failures?window=forever");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("window", out _));
    }

    [Fact]
    public async Task Partners_ShowCircuitSuccessRateLatencyAndRecentCauses()
    {
        var seeded = await harness.SeedAsync(_gateway);

        var report = await _gateway.OpsClient().GetJsonAsync("/v1/diagnostics/partners");

        var ycb = report.GetProperty("partners").EnumerateArray().Single(p => p.Str("partner") == "ycb");
        Assert.Equal("closed", ycb.Str("circuit"));
        // Only the quota exhaustion is ycb's doing; the frozen, invalid and risk-declined payouts are business rejections.
        var partnerCaused = seeded.Failed.Count(p => p.Cause == "PARTNER_QUOTA_EXHAUSTED");
        Assert.Equal(1, partnerCaused);
        Assert.Equal(seeded.Succeeded.Count, ycb.GetProperty("succeeded").GetInt64());
        Assert.Equal(seeded.Failed.Count, ycb.GetProperty("failed").GetInt64());
        Assert.Equal(partnerCaused, ycb.GetProperty("partnerFailures").GetInt64());
        Assert.Equal(seeded.Failed.Count - partnerCaused, ycb.GetProperty("businessRejections").GetInt64());
        Assert.Equal(seeded.All.Count, ycb.GetProperty("attempts").GetInt64());
        var rate = ycb.GetProperty("successRate").GetDouble();
        Assert.Equal(Math.Round(seeded.Succeeded.Count / (double)(seeded.Succeeded.Count + partnerCaused), 4), rate);
        Assert.True(ycb.GetProperty("disburseLatency").GetProperty("samples").GetInt32() >= seeded.All.Count);
        var recent = ycb.GetProperty("recentCauses").EnumerateArray().Select(c => c.Str("cause")).ToList();
        Assert.Equal(seeded.Failed.OrderByDescending(p => p.CompletedAt).Take(5).Select(p => p.Cause), recent);
    }

    [Fact]
    public async Task FailedPayouts_LatestOfEveryClient_NewestFirstWithDiagnosisAndMasked()
    {
        var seeded = await harness.SeedAsync(_gateway);

        var feed = await _gateway.OpsClient().GetJsonAsync("/v1/diagnostics/failed-payouts?limit=3");

        var items = feed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(seeded.Failed.OrderByDescending(p => p.CompletedAt).Take(3).Select(p => p.Id), items.Select(p => p.Str("id")));
        Assert.All(items, p =>
        {
            Assert.StartsWith("************", p.Str("beneficiary.accountNumber"), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(p.Str("failure.summary")));
        });
        var one = await _gateway.OpsClient().GetJsonAsync("/v1/diagnostics/payouts/" + items[0].Str("id"));
        Assert.Equal(items[0].Str("failure.cause"), one.Str("failure.cause"));
        Assert.Equal(one.Str("failure.owner"), one.Str("onCall.owner"));
        Assert.False(string.IsNullOrWhiteSpace(one.Str("onCall.action")));
        Assert.All(items, p => Assert.False(string.IsNullOrWhiteSpace(p.Str("onCall.action"))));
    }

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(p => p.Str("id"))];

    public sealed record Seeded(string Id, string? Cause, DateTimeOffset CreatedAt, DateTimeOffset CompletedAt);

    public sealed record SeededSet(IReadOnlyList<Seeded> All)
    {
        public IReadOnlyList<Seeded> Failed => [.. All.Where(p => p.Cause is not null)];
        public IReadOnlyList<Seeded> Succeeded => [.. All.Where(p => p.Cause is null)];
    }

    public sealed class Harness : YcbHarness
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private SeededSet? _seeded;

        /// <summary>Once per class: 3 successes and 5 failures (two frozen accounts, one invalid, a risk decline, a quota).</summary>
        public async Task<SeededSet> SeedAsync(GatewayFactory gateway)
        {
            await _gate.WaitAsync();
            try
            {
                if (_seeded is null)
                {
                    var client = gateway.ClientFor();
                    var accounts = new[]
                    {
                        Accounts.New(), "629900000000001003", Accounts.New(), "629900000000002001",
                        "629900000000001003", "629900000000001001", Accounts.New(), "629900000000002003",
                    };
                    var all = new List<Seeded>();
                    foreach (var account in accounts)
                    {
                        var payout = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: account))).JsonAsync();
                        Assert.NotEqual("processing", payout.Str("status"));
                        all.Add(new Seeded(payout.Str("id"),
                            payout.Str("status") == "failed" ? payout.Str("failure.cause") : null,
                            payout.GetProperty("createdAt").GetDateTimeOffset(),
                            payout.GetProperty("completedAt").GetDateTimeOffset()));
                    }

                    _seeded = new SeededSet(all);
                }

                return _seeded;
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}

[Collection(GatewayCollection.Name)]
public sealed class OnCallQueriesTests(RedisFixture redis, OnCallQueriesCases.Harness harness) : OnCallQueriesCases(redis, harness), IClassFixture<OnCallQueriesCases.Harness>;

[Collection(RedisClusterCollection.Name)]
public sealed class OnCallQueriesClusterTests(RedisClusterFixture redis, OnCallQueriesCases.Harness harness) : OnCallQueriesCases(redis, harness), IClassFixture<OnCallQueriesCases.Harness>;
