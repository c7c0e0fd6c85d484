using System.Globalization;
using System.Text.Json.Serialization;
using Gateway.Core;
using Gateway.Diagnosis;

namespace Gateway.Payouts;

/// <summary>
/// The payout as the API shows it (payout-api.md): beneficiary masked, amount a decimal string.
/// Not sealed only for the on-call view (<c>Ops/OnCallPayoutResource</c>), which adds who acts.
/// </summary>
public record PayoutResource
{
    public required string Id { get; init; }
    public required string LoanId { get; init; }
    public required string Amount { get; init; }
    public required string Currency { get; init; }
    public required Beneficiary Beneficiary { get; init; }
    public required PayoutStatus Status { get; init; }
    public required string Partner { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PartnerReference { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? CompletedAt { get; init; }

    public required IReadOnlyList<Attempt> Attempts { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Failure? Failure { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public static PayoutResource From(PayoutRecord payout) => new()
    {
        Id = payout.Id,
        LoanId = payout.LoanId,
        Amount = Money.Format(payout.Amount),
        Currency = payout.Currency,
        Beneficiary = Masking.Mask(payout.Beneficiary),
        Status = payout.Status,
        Partner = payout.Partner,
        PartnerReference = payout.PartnerReference,
        CreatedAt = payout.CreatedAt,
        CompletedAt = payout.CompletedAt,
        Attempts = payout.Attempts,
        Failure = payout.Failure,
        Metadata = payout.Metadata,
    };
}
