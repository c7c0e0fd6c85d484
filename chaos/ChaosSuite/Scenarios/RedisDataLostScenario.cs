using System.Collections.Concurrent;
using System.Globalization;
using LoadDriver.Api;
using LoadDriver.Checks;
using LoadDriver.Deployment;
using LoadDriver.Payouts;
using LoadDriver.Runs;

namespace ChaosSuite.Scenarios;

/// <summary>
/// redis-server is killed (SIGKILL) and restarted on the same port with its data files deleted:
/// every idempotency record, payout, processing list, lease and store epoch marker is gone while the
/// gateways keep running. The gateways notice (the claim script checks the shard's epoch marker;
/// a background check reads the markers every 2 s), write a loss tombstone and refuse new payouts
/// with 503 <c>state-store-lost</c> instead of taking answered keys for new ones. The scenario then
/// acts as the client and as the operator:
/// <list type="number">
/// <item>it retries <see cref="Probes"/> warm-up keys the gateway had answered before the loss (same
/// key and body), each until an answer other than 503 state-store-unavailable or none, at most
/// <see cref="ProbeTries"/> times: each must get 503 state-store-lost, never 201 (a 201 would send the
/// payout to the partner again, and the ledger counts a resend as a second execution);</item>
/// <item>as the operator, after "reconciling with the partners", it accepts the loss
/// (<c>POST /v1/state-store/accept-loss</c>, operator key); the load goes on and must be
/// served as expected again.</item>
/// </list>
/// Declared: 503 state-store-unavailable for requests overlapping the outage or the reconnect grace;
/// 503 state-store-lost from the loss until the acceptance (plus <see cref="AdoptGrace"/> for the
/// other instances' next check); payouts answered (200/201) before Redis came back empty that the API
/// can no longer show (their records were in the deleted data, and the loss was accepted). Nothing else: no payout executed twice
/// (counting every send that reached the simulators, resends included), every payout submitted after
/// the acceptance final and as its kind expects within the recovery bound.
/// </summary>
internal sealed class RedisDataLostScenario : IChaosScenario
{
    /// <summary>How many answered warm-up keys are retried after the loss.</summary>
    public const int Probes = 3;

    /// <summary>At most this many tries per probe, half a second apart, while the gateway answers 503 state-store-unavailable or nothing.</summary>
    public const int ProbeTries = 20;

    /// <summary>How long after the acceptance another instance may still refuse (its next epoch check is at most 2 s away).</summary>
    public static readonly TimeSpan AdoptGrace = TimeSpan.FromSeconds(3);

    public string Name => "redis-data-lost";

    public string Description => "redis-server SIGKILL, restarted with its data files deleted (all state lost); the operator accepts the loss";

    public string? PendingReason => null;

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log)
    {
        var outage = new RedisOutage(RedisKillScenario.ReconnectGrace);
        var answered = new ConcurrentQueue<PlannedPayout>();
        DateTimeOffset? accepted = null;
        bool LostExplains(SubmitAnswer answer) =>
            answer.HttpStatus == 503 && answer.ProblemSlug == "state-store-lost" && outage.Began is { } began
            && answer.AnsweredAt >= began && answer.SentAt <= (accepted ?? DateTimeOffset.MaxValue) + AdoptGrace;
        bool Explains(SubmitAnswer answer) => outage.Explains(answer) || LostExplains(answer);

        var policy = log.Policy(new CheckPolicy
        {
            RequireAllFinal = false,
            ServerErrorExplained = Explains,
            RepeatAnswerExplained = Explains,
            // Recorded (answered 200/201) before Redis came back empty, so recorded in the data that was
            // deleted: after the acceptance the API says 404, which the client reconciles with its own
            // records. (A payout recorded just before the SIGKILL may be answered just after it.)
            MissingPayoutExplained = p => p.PayoutId is not null && p.Payout is null && outage.Ended is { } restarted
                && p.Answers.Any(a => a.HttpStatus is 200 or 201 && a.AnsweredAt < restarted),
            Allowance = $"503 state-store-unavailable for requests overlapping the outage or the {RedisKillScenario.ReconnectGrace.TotalSeconds:0} s after it; "
                + $"503 state-store-lost from the loss until the operator accepts it (+{AdoptGrace.TotalSeconds:0} s); payouts answered before Redis came back empty unreadable after it.",
        });

        return new ScenarioPlan(
            new LoadHooks
            {
                BeforeSend = (payout, _) =>
                {
                    if (payout.Phase == LoadRun.WarmupPhase && payout.Kind == PayoutKind.Ordinary && answered.Count < Probes)
                    {
                        answered.Enqueue(payout);
                    }
                },
                DuringSteady = async cancellationToken =>
                {
                    await Task.Delay(timing.After, cancellationToken);
                    outage.Began = log.Note($"SIGKILL redis-server on port {deployment.Redis.Port.ToString(CultureInfo.InvariantCulture)}");
                    await deployment.Redis.KillAsync();
                    var deleted = DeleteData(deployment.Folder);
                    log.Note($"deleted its data files: {deleted}");
                    try
                    {
                        await Task.Delay(timing.For, cancellationToken);
                    }
                    finally
                    {
                        await deployment.Redis.StartAsync(CancellationToken.None);
                        outage.Ended = log.Note("redis-server restarted on the same port, empty");
                    }

                    try
                    {
                        await RetryAnsweredKeysAsync(deployment, answered, log, cancellationToken);
                    }
                    finally
                    {
                        accepted = await AcceptLossAsync(deployment, log);
                        log.Window("redis data lost", outage.Began.Value, accepted.Value, [], AdoptGrace, mayFailOver: false);
                    }
                },
            },
            policy);
    }

    /// <summary>The operator accepts the loss (the runbook's last step); the time it was accepted.</summary>
    private static async Task<DateTimeOffset> AcceptLossAsync(LocalDeployment deployment, FaultLog log)
    {
        using var http = new HttpClient { BaseAddress = deployment.GatewayUrl, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", LocalDeployment.OperatorKey);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await http.PostAsync("/v1/state-store/accept-loss", null);
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode || attempt == 10)
                {
                    return log.Note(string.Create(CultureInfo.InvariantCulture,
                        $"the operator accepts the loss: POST /v1/state-store/accept-loss → {(int)response.StatusCode} {body}"));
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                if (attempt == 10)
                {
                    return log.Note($"the operator could not accept the loss: {ex.GetType().Name}");
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>
    /// Retries each answered key (same key and body) until an answer other than 503
    /// state-store-unavailable or none, at most <see cref="ProbeTries"/> times, and notes it: the
    /// expected answer is 503 state-store-lost.
    /// </summary>
    private static async Task RetryAnsweredKeysAsync(LocalDeployment deployment, IEnumerable<PlannedPayout> answered, FaultLog log,
        CancellationToken cancellationToken)
    {
        using var client = deployment.Client(TimeSpan.FromSeconds(10));
        foreach (var payout in answered)
        {
            for (var attempt = 1; attempt <= ProbeTries; attempt++)
            {
                var answer = await client.SubmitAsync(payout.Key, payout.Body, cancellationToken);
                var waiting = answer.HttpStatus is null || (answer.HttpStatus == 503 && answer.ProblemSlug == "state-store-unavailable");
                if (!waiting || attempt == ProbeTries)
                {
                    var verdict = answer.HttpStatus == 503 && answer.ProblemSlug == "state-store-lost"
                        ? " — refused as expected: the gateway cannot know whether it was answered"
                        : answer.HttpStatus == 201
                            ? " — CREATED AGAIN: the gateway accepted an answered key as new and will send it to the partner again"
                            : " — not the expected 503 state-store-lost";
                    log.Note(string.Create(CultureInfo.InvariantCulture,
                        $"client retry of {payout.Key} (answered before the loss), try {attempt}: {answer.Label} {answer.ProblemSlug}{(answer.PayoutId is { } id ? " payout " + id : "")}{verdict}"));
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    /// <summary>Deletes redis-server's AOF folder and any RDB in <paramref name="folder"/>; says what went.</summary>
    private static string DeleteData(string folder)
    {
        var gone = new List<string>();
        var aof = Path.Combine(folder, "appendonlydir");
        if (Directory.Exists(aof))
        {
            Directory.Delete(aof, recursive: true);
            gone.Add("appendonlydir/");
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.aof").Concat(Directory.EnumerateFiles(folder, "*.rdb")).ToList())
        {
            File.Delete(file);
            gone.Add(Path.GetFileName(file));
        }

        return gone.Count == 0 ? "none found" : string.Join(", ", gone);
    }
}
