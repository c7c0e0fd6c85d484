// Multi-instance end-to-end tests (issue 9: at most once across instances, crashes, pauses and shutdown).
//
// How to run (after `dotnet build Gateway.sln -c Release`):
//   dotnet test tests/Gateway.Tests -c Release --no-build --filter "FullyQualifiedName~Instances"
// Needs redis-server and /usr/bin/kill (procps) on the PATH, as ./test installs them.
//
// Each test starts a GatewayCluster of its own: one redis-server (AOF, appendfsync always, so a
// kill -9 and restart keeps what it acknowledged), the ycb, prb and silkpay simulators, and 2–3
// real gateway processes (`dotnet Gateway.dll`, configured by environment variables only) on
// their own ports, sharing that Redis, with Routing:Order ycb,prb,silkpay, a short
// Recovery:LeaseTtl (4 s), a 0.5 s reconciler scan and 0.5 s inquiry graces. A test drives the
// processes with SIGKILL, SIGSTOP/SIGCONT and SIGTERM, stops and restarts Redis, flushes it or
// pauses its writes, and judges every payout as a user would: its final status through the API
// of every live instance, and the ledgers of ALL THREE partners (executions and disbursement
// requests for the payout's reference, which is the payout id).
//
// What each scenario proves (InstanceTests.cs):
// - KillDashNine_OwnerMidFailover_*: the owner dies after ycb refused and prb executed but
//   before prb answered; the other instance resumes it: one execution across all partners,
//   succeeded. The open-circuit variant shows a partner choice that must be recorded before the
//   call (write-ahead attempts): recovery must not send to ycb what prb already paid.
// - SigStop_OwnerPausedTwiceTheLease_*: (3 instances) a frozen owner loses its lease, another instance
//   finishes the payout; once resumed, the stale owner sends nothing and changes nothing (fencing).
// - RedisKilledLongerThanLease_*: Redis down past the lease while a partner holds its answer,
//   back with its AOF: the payout still ends final, executed once.
// - SigTerm_OwnerMidCall_*: a graceful stop: not ready at once, no new submission accepted,
//   exit 0, and the payout final well before a (30 s) lease could lapse.
// - FlushAll_WhilePartnerHoldsAnswer_*: Redis loses everything mid-call: same-key retries get 503
//   state-store-lost (never 201, nothing sent) until an operator accepts the loss; then the payout
//   ends final through the same-key retry, executed once.
// - ClaimReplyLost_*: Redis stalls writes past the gateway's 3 s client timeout while the claim
//   is pending, so the claim commits after the gateway gave up: the caller is never told "not
//   sent" about a payout that will be sent, and its same-key retries end in one execution.
//
// The collection runs alone (DisableParallelization): the scenarios measure lease timings with
// real processes and must stay deterministic on 2 busy cores. Every wait is bounded and waits for
// something observable (a ledger entry, a lease owner, a status, an exit); the only timed holds
// are the lengths of the outages themselves (a pause or a Redis outage "longer than the lease").
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gateway.Tests.Fixtures;
using Orchestration;
using Simulators.Prb;
using Simulators.SilkPay;
using Simulators.Ycb;
using StackExchange.Redis;

namespace Gateway.Tests.Instances;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InstancesCollection
{
    public const string Name = "Instances";
}

/// <summary>
/// One Redis, the three partner simulators and N gateway processes sharing that Redis (see the
/// comment at the top of this file).
/// </summary>
public sealed class GatewayCluster : IAsyncDisposable
{
    public static readonly TimeSpan DefaultLeaseTtl = TimeSpan.FromSeconds(4);

    private readonly List<GatewayProcess> _instances = [];

    private GatewayCluster(RedisServer redis, ConnectionMultiplexer admin, YcbSimulator ycb, PrbSimulator prb, SilkPaySimulator silkPay)
    {
        Redis = redis;
        Admin = admin;
        Ycb = ycb;
        Prb = prb;
        SilkPay = silkPay;
    }

    public RedisServer Redis { get; }

    /// <summary>A connection of the test's own (admin commands allowed, long timeouts) to inspect and disturb Redis.</summary>
    public ConnectionMultiplexer Admin { get; }

    public YcbSimulator Ycb { get; }
    public PrbSimulator Prb { get; }
    public SilkPaySimulator SilkPay { get; }

    public IReadOnlyList<GatewayProcess> Instances => _instances;

    public TimeSpan LeaseTtl { get; private set; } = DefaultLeaseTtl;

    /// <summary>
    /// Starts everything: <paramref name="instances"/> gateways with the cluster's settings and
    /// <paramref name="overrides"/> on top (e.g. a longer <c>Recovery:LeaseTtl</c>).
    /// </summary>
    public static async Task<GatewayCluster> StartAsync(int instances = 2, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var redis = await RedisServer.StartNewAsync();
        var admin = await ConnectionMultiplexer.ConnectAsync(
            $"{redis.ConnectionString},allowAdmin=true,asyncTimeout=20000,syncTimeout=20000,connectTimeout=5000");
        var cluster = new GatewayCluster(redis, admin,
            YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3) }),
            PrbSimulator.Start(new PrbSimulatorOptions { Token = PrbHarness.Token, SlowDelay = TimeSpan.FromSeconds(3) }),
            SilkPaySimulator.Start(new SilkPaySimulatorOptions { SecretKey = SilkPayHarness.SecretKey, SlowDelay = TimeSpan.FromSeconds(3) }));
        try
        {
            var settings = cluster.Settings();
            foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            cluster.LeaseTtl = TimeSpan.Parse(settings["Recovery:LeaseTtl"]!, System.Globalization.CultureInfo.InvariantCulture);
            var started = await Task.WhenAll(Enumerable.Range(0, instances).Select(_ => GatewayProcesses.StartAsync(settings)));
            cluster._instances.AddRange(started);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// ycb, prb and silkpay in that routing order; partner calls long enough to hold an answer
    /// (15 s per attempt), graces (0.5 s) far shorter than the lease (4 s), breakers effectively off.
    /// </summary>
    private Dictionary<string, string?> Settings()
    {
        var settings = GatewayFactory.Settings(Redis.ConnectionString, Ycb.Url);
        foreach (var (key, value) in PrbHarness.Settings("unused", Prb.Url).Where(s => s.Key.StartsWith("Partners:prb:", StringComparison.Ordinal)))
        {
            settings[key] = value;
        }

        foreach (var (key, value) in SilkPayHarness.Settings("unused", SilkPay.Url).Where(s => s.Key.StartsWith("Partners:silkpay:", StringComparison.Ordinal)))
        {
            settings[key] = value;
        }

        foreach (var partner in new[] { "ycb", "prb", "silkpay" })
        {
            settings[$"Partners:{partner}:Timeout"] = "00:00:15";
            settings[$"Partners:{partner}:TotalTimeout"] = "00:00:25";
            settings[$"Partners:{partner}:InquiryGrace"] = "00:00:00.500";
        }

        settings["Routing:Order"] = "ycb,prb,silkpay";
        settings["Recovery:LeaseTtl"] = "00:00:04";
        settings["Recovery:ScanInterval"] = "00:00:00.500";
        settings["Payouts:SyncBudget"] = "00:00:02";
        settings["Payouts:MaxInquiryInterval"] = "00:00:00.500";
        settings["Logging:Format"] = "text";
        return settings;
    }

    public GatewayProcess this[int index] => _instances[index];

    /// <summary>The instances that can answer now (not exited, not paused).</summary>
    public IEnumerable<GatewayProcess> Live => _instances.Where(i => i.IsLive);

    // ---- the partners' ledgers ----------------------------------------------------------------

    /// <summary>Executions of the payout across all three partners (the payout id is the reference at each).</summary>
    public int Executions(string id) => Ycb.ExecutionCount(id) + Prb.ExecutionCount(id) + SilkPay.ExecutionCount(id);

    /// <summary>Disbursement requests for the payout that reached any partner.</summary>
    public int DisburseRequests(string id) => Ycb.DisburseRequestCount(id) + Prb.RequestCount(id) + SilkPay.TransferRequestCount(id);

    /// <summary>For failure messages: what each partner executed and received for the payout.</summary>
    public string Ledgers(string id) =>
        $"executions ycb={Ycb.ExecutionCount(id)} prb={Prb.ExecutionCount(id)} silkpay={SilkPay.ExecutionCount(id)}; "
        + $"disbursement requests ycb={Ycb.DisburseRequestCount(id)} prb={Prb.RequestCount(id)} silkpay={SilkPay.TransferRequestCount(id)}";

    // ---- leases --------------------------------------------------------------------------------

    /// <summary>
    /// The instance whose lease is on the payout now, from its lease key; null when nobody
    /// holds it. An instance names itself <c>{machine}/{pid}/{guid}</c>, possibly followed by a
    /// fencing token (<c>|token</c>), so the owner is found by its <c>/{pid}/</c> segment.
    /// </summary>
    public async Task<GatewayProcess?> LeaseOwnerAsync(string id)
    {
        var value = await Admin.GetDatabase().StringGetAsync(Gateway.Storage.PayoutKeys.Lease(id));
        if (value.IsNullOrEmpty)
        {
            return null;
        }

        var text = value.ToString();
        return _instances.FirstOrDefault(i => text.Contains($"/{i.Pid}/", StringComparison.Ordinal));
    }

    // ---- the client's view ---------------------------------------------------------------------

    /// <summary>
    /// Starts a submission in the background (the instance it goes to may be killed or frozen
    /// while it waits); the task never throws: it yields the answer, or null when none came.
    /// </summary>
    public static Task<HttpResponseMessage?> SubmitInBackground(GatewayProcess instance, string key, object body)
    {
        return Run();

        async Task<HttpResponseMessage?> Run()
        {
            using var client = instance.ClientFor();
            try
            {
                return await client.SubmitAsync(key, body);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// A routed payout to a fresh account that ycb executes and answers only
    /// <paramref name="answerAfter"/> later, submitted to instance 0 in the background; returns
    /// once ycb has executed it, so the owner is mid-call.
    /// </summary>
    public async Task<(string Key, string Id, Dictionary<string, object?> Body, Task<HttpResponseMessage?> Submission)> SubmitHeldAtYcbAsync(
        TimeSpan answerAfter, TimeSpan within)
    {
        var account = Accounts.New();
        Ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.SlowAfterExecute, Delay: answerAfter));
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);
        var body = Api.Body(account: account, partner: null);
        var submission = SubmitInBackground(this[0], key, body);
        await Eventually.HoldsAsync(() => Ycb.ExecutionCount(id) == 1, "ycb never executed the payout", within);
        return (key, id, body, submission);
    }

    /// <summary>GET /v1/payouts/{id} from one instance: the status, or null when it gave no 200 within 5 s.</summary>
    public static async Task<JsonElement?> ReadAsync(GatewayProcess instance, string id)
    {
        using var client = instance.ClientFor();
        client.Timeout = TimeSpan.FromSeconds(5);
        try
        {
            var response = await client.GetAsync($"/v1/payouts/{id}");
            return response.StatusCode == HttpStatusCode.OK ? await response.JsonAsync() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Polls every live instance until one shows the payout final; fails naming the ledgers.</summary>
    public async Task<JsonElement> WaitFinalAsync(string id, TimeSpan within, IEnumerable<GatewayProcess>? from = null)
    {
        var clock = Stopwatch.StartNew();
        JsonElement? last = null;
        while (true)
        {
            foreach (var instance in (from ?? Live).ToList())
            {
                if (await ReadAsync(instance, id) is { } payout)
                {
                    last = payout;
                    if (IsFinal(payout))
                    {
                        return payout;
                    }
                }
            }

            Assert.True(clock.Elapsed < within,
                $"payout {id} was not final within {within.TotalSeconds:0} s (last seen: {last?.GetRawText() ?? "nothing"}); {Ledgers(id)}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The lending backend's behaviour after an answer it cannot use: POST again with the same key
    /// and body (to any live instance, round robin) until an answer carries a final status;
    /// 409, 429, 503, no answer and <c>processing</c> are retried. Returns every answer's status
    /// code and the final payout.
    /// </summary>
    public async Task<(List<HttpStatusCode> Answers, JsonElement Payout)> SubmitUntilFinalAsync(string key, object body, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var answers = new List<HttpStatusCode>();
        var turn = 0;
        while (true)
        {
            var live = Live.ToList();
            var instance = live[turn++ % live.Count];
            using var client = instance.ClientFor();
            client.Timeout = TimeSpan.FromSeconds(15);
            try
            {
                var response = await client.SubmitAsync(key, body);
                answers.Add(response.StatusCode);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created && await response.JsonAsync() is var payout && IsFinal(payout))
                {
                    return (answers, payout);
                }

                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Conflict
                    or HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable,
                    $"a same-key retry got HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                answers.Add(0);
            }

            Assert.True(clock.Elapsed < within,
                $"same-key retries got no final answer within {within.TotalSeconds:0} s (answers: {string.Join(", ", answers.Select(a => (int)a))})");
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// The judgement of one payout: final with <paramref name="status"/> through the API,
    /// executed exactly once across all three partners if it succeeded and never if it failed,
    /// and then nothing changes for <paramref name="settle"/> (default 3 s): every live instance
    /// shows the same status and no partner executes or receives anything more.
    /// </summary>
    public async Task<JsonElement> JudgeAsync(string id, string status, TimeSpan within, TimeSpan? settle = null)
    {
        var payout = await WaitFinalAsync(id, within);
        Assert.True(payout.Str("status") == status, $"payout {id} ended {payout.Str("status")}, expected {status}: {payout.GetRawText()}; {Ledgers(id)}");
        Assert.True(Executions(id) == (status == "succeeded" ? 1 : 0), $"payout {id} {status}: {Ledgers(id)}");
        await StaysAsync(id, status, settle ?? TimeSpan.FromSeconds(3));
        return payout;
    }

    /// <summary>
    /// For <paramref name="window"/>, every live instance answers <paramref name="status"/> for
    /// the payout, and the partners' ledgers and request counts for it do not move.
    /// </summary>
    public async Task StaysAsync(string id, string status, TimeSpan window)
    {
        var executions = Executions(id);
        var requests = DisburseRequests(id);
        var clock = Stopwatch.StartNew();
        var reads = 0;
        while (clock.Elapsed < window || reads == 0)
        {
            foreach (var instance in Live.ToList())
            {
                if (await ReadAsync(instance, id) is { } payout)
                {
                    reads++;
                    Assert.True(payout.Str("status") == status,
                        $"payout {id} changed from {status} to {payout.Str("status")} (instance {instance.Url}); {Ledgers(id)}");
                }
            }

            Assert.True(Executions(id) == executions && DisburseRequests(id) == requests,
                $"payout {id} kept moving at the partners after it was final {status}: {Ledgers(id)}");
            await Task.Delay(200);
        }
    }

    public static bool IsFinal(JsonElement payout) => payout.Str("status") is "succeeded" or "failed";

    /// <summary>
    /// Lets an outage last: returns once <paramref name="length"/> has passed since
    /// <paramref name="since"/> started. Used only for the length of a disturbance the scenario
    /// defines (a pause or a Redis outage longer than the lease), never to wait for a result.
    /// </summary>
    public static async Task OutageLastsAsync(Stopwatch since, TimeSpan length)
    {
        var left = length - since.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        Ycb.Dispose();
        Prb.Dispose();
        SilkPay.Dispose();
        await Admin.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
