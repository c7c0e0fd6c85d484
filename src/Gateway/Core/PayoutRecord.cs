using System.Text.Json.Serialization;

namespace Gateway.Core;

[JsonConverter(typeof(JsonStringEnumConverter<PayoutStatus>))]
public enum PayoutStatus
{
    /// <summary>Sent or about to be sent; not final.</summary>
    [JsonStringEnumMemberName("processing")] Processing,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
}

public sealed record Beneficiary(string Name, string AccountNumber, string BankCode);

/// <summary>One call to a partner: a disbursement, a retry or an inquiry.</summary>
public sealed record Attempt
{
    public required string Partner { get; init; }
    public required DateTimeOffset At { get; init; }
    public required long ElapsedMs { get; init; }

    /// <summary>
    /// What the call showed: succeeded, processing, rejected, throttled, duplicate, timeout,
    /// unavailable, refused, malformed, unknown_code, circuit_open, or inquiry (with partnerStatus).
    /// </summary>
    public required string Outcome { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PartnerCode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PartnerStatus { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? HttpStatus { get; init; }

    /// <summary>
    /// On the last call to a partner the payout failed over from: the cause it was not executed
    /// there with (a failover hop). Null on every other attempt; the final partner's outcome is the payout's.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cause { get; init; }
}

/// <summary>
/// The payout as stored in Redis: unmasked, because a later attempt or inquiry needs the real
/// beneficiary. It leaves the gateway only through <see cref="PayoutResource"/>, which masks.
/// </summary>
public sealed record PayoutRecord
{
    public required string Id { get; init; }
    public required string Client { get; init; }
    public required string LoanId { get; init; }
    public required decimal Amount { get; init; }
    public required string Currency { get; init; }
    public required Beneficiary Beneficiary { get; init; }
    public required PayoutStatus Status { get; init; }
    public required string Partner { get; init; }
    public string? PartnerReference { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public IReadOnlyList<Attempt> Attempts { get; init; } = [];
    public Failure? Failure { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>True when the payout named no partner and Routing:Order chose it: only then may it fail over.</summary>
    public bool Routed { get; init; }

    /// <summary>When a disbursement was last sent to <see cref="Partner"/>; null while none has been.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>
    /// The cause the last send's unknown outcome would mean if an inquiry proves nothing was
    /// executed (PARTNER_TIMEOUT, ...); kept so a reconciler on another instance can finish it.
    /// </summary>
    public string? UnresolvedCause { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the submission's span, when it was traced (see
    /// <see cref="PayoutTracing"/>): the reconciler's spans for this payout link to it. Omitted when null.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Trace { get; init; }

    /// <summary>
    /// A random id of the request whose claim created the record. Not in the API: after a claim whose reply was lost,
    /// the request reads the record and only this tells its own claim from a concurrent duplicate's (same key, same
    /// body, same instance, so the same lease). Omitted when null (records written before it existed).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Claim { get; init; }

    public bool IsFinal => Status != PayoutStatus.Processing;
}
