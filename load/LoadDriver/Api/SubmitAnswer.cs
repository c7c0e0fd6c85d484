namespace LoadDriver.Api;

/// <summary>
/// What one <c>POST /v1/payouts</c> got back. <see cref="HttpStatus"/> is null when no HTTP answer
/// came (connection refused or cut, client timeout: <see cref="TransportError"/> says which).
/// </summary>
public sealed record SubmitAnswer(
    int? HttpStatus,
    string? PayoutId,
    string? PayoutStatus,
    bool Replayed,
    string? ProblemType,
    TimeSpan? RetryAfter,
    string? TransportError,
    DateTimeOffset SentAt,
    DateTimeOffset AnsweredAt)
{
    /// <summary>Which gateway instance (0-based, in <see cref="GatewayTargets"/>) the request went to.</summary>
    public int Instance { get; init; }

    /// <summary>The partner the answer's payout names (its <c>partner</c> field); null when it names none or no payout came back.</summary>
    public string? Partner { get; init; }

    /// <summary>The answer's failure cause (<c>failure.cause</c>) for a failed payout.</summary>
    public string? FailureCause { get; init; }

    /// <summary>Whether the answer shows a final payout (succeeded or failed).</summary>
    public bool IsFinal => PayoutStatus is "succeeded" or "failed";

    /// <summary>The last segment of the problem type URI, e.g. <c>state-store-unavailable</c>.</summary>
    public string? ProblemSlug => ProblemType?.Split('/').LastOrDefault();

    public bool IsServerError => HttpStatus is >= 500;

    public string Label => HttpStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer";
}
