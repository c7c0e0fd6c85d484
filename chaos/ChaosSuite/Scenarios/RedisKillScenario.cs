using System.Globalization;
using LoadDriver.Api;
using LoadDriver.Checks;
using LoadDriver.Deployment;
using LoadDriver.Runs;

namespace ChaosSuite.Scenarios;

/// <summary>
/// (c) redis-server is killed with SIGKILL and restarted on the same port from its AOF
/// (appendfsync always). While it is away the gateway must refuse new payouts with 503
/// state-store-unavailable, keep executions it already started, and lose nothing it acknowledged.
/// A 503 state-store-unavailable is excused for requests that overlap the outage plus the time the
/// gateway's Redis client needs to reconnect (<see cref="ReconnectGrace"/>); any other 5xx is not.
/// </summary>
internal sealed class RedisKillScenario : IChaosScenario
{
    /// <summary>How long after the restart 503s are still excused (StackExchange.Redis reconnect backoff).</summary>
    public static readonly TimeSpan ReconnectGrace = TimeSpan.FromSeconds(15);

    public string Name => "redis-kill";

    public string Description => "redis-server SIGKILL, restarted on the same port (AOF)";

    public string? PendingReason => null;

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log)
    {
        var outage = new Outage();
        bool Explained(SubmitAnswer answer) =>
            answer.HttpStatus == 503 && answer.ProblemSlug == "state-store-unavailable" && outage.Overlaps(answer.SentAt, answer.AnsweredAt);

        return new ScenarioPlan(
            new LoadHooks
            {
                DuringSteady = async cancellationToken =>
                {
                    await Task.Delay(timing.After, cancellationToken);
                    outage.Began = log.Note($"SIGKILL redis-server on port {deployment.Redis.Port.ToString(CultureInfo.InvariantCulture)}");
                    await deployment.Redis.KillAsync();
                    try
                    {
                        await Task.Delay(timing.For, cancellationToken);
                    }
                    finally
                    {
                        await deployment.Redis.StartAsync(CancellationToken.None);
                        outage.Ended = log.Note("redis-server restarted on the same port, AOF loaded (answers PING)");
                        // Refused submissions are 503s (excused below); every payout that was recorded must still end as its kind expects.
                        log.Window("redis down", outage.Began!.Value, outage.Ended.Value, [], ReconnectGrace, mayFailOver: false);
                    }
                },
            },
            log.Policy(new CheckPolicy
            {
                RequireAllFinal = false,
                ServerErrorExplained = Explained,
                RepeatAnswerExplained = Explained,
                Allowance = $"503 state-store-unavailable for requests overlapping the Redis outage or the {ReconnectGrace.TotalSeconds:0} s after the restart.",
            }));
    }

    private sealed class Outage
    {
        public DateTimeOffset? Began { get; set; }

        public DateTimeOffset? Ended { get; set; }

        public bool Overlaps(DateTimeOffset sent, DateTimeOffset answered) =>
            Began is { } began && answered >= began && sent <= (Ended ?? DateTimeOffset.MaxValue) + ReconnectGrace;
    }
}
