using LoadDriver.Api;
using LoadDriver.Checks;

namespace ChaosSuite.Scenarios;

/// <summary>
/// When Redis was unavailable to the gateways (killed, frozen, black-holed, slowed) and what that
/// excuses: 503 <c>state-store-unavailable</c> for requests overlapping it or the
/// <see cref="Grace"/> after it (the Redis client reconnecting); nothing else. Shared by the Redis scenarios.
/// </summary>
internal sealed class RedisOutage(TimeSpan grace)
{
    public TimeSpan Grace { get; } = grace;

    public DateTimeOffset? Began { get; set; }

    public DateTimeOffset? Ended { get; set; }

    public bool Overlaps(DateTimeOffset sent, DateTimeOffset answered) =>
        Began is { } began && answered >= began && sent <= (Ended ?? DateTimeOffset.MaxValue) + Grace;

    public bool Explains(SubmitAnswer answer) =>
        answer.HttpStatus == 503 && answer.ProblemSlug == "state-store-unavailable" && Overlaps(answer.SentAt, answer.AnsweredAt);

    /// <summary>The scenario's policy: the outage's 503s excused, the log's declared faults judged, finality not required.</summary>
    public CheckPolicy Policy(FaultLog log, string what) => log.Policy(new CheckPolicy
    {
        RequireAllFinal = false,
        ServerErrorExplained = Explains,
        RepeatAnswerExplained = Explains,
        Allowance = $"503 state-store-unavailable for requests overlapping {what} or the {Grace.TotalSeconds:0} s after it.",
    });
}
