using Gateway.Diagnosis;
using Gateway.Partners;
using Gateway.Payouts;

namespace Gateway.Tests.Payouts;

/// <summary>Payouts, answers and a context for the pure decision tests and the ledger model.</summary>
internal static class DecisionFixtures
{
    public static readonly DateTimeOffset Created = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ResolveFor = TimeSpan.FromMinutes(10);
    public static readonly string[] Order = ["ycb", "prb", "silkpay"];

    public static DecisionContext Context(params string[] healthy) => new()
    {
        Healthy = healthy.Length > 0 ? healthy : Order,
        Enabled = Order.ToHashSet(StringComparer.Ordinal),
        InquiryGrace = Order.ToDictionary(p => p, _ => Grace, StringComparer.Ordinal),
        FailoverCauses = new HashSet<string>(StringComparer.Ordinal)
        {
            Causes.PartnerTimeout, Causes.PartnerUnavailable, Causes.PartnerCircuitOpen, Causes.PartnerMaintenance,
        },
        MaxInquiryInterval = TimeSpan.FromSeconds(5),
    };

    public static PayoutRecord Payout(string partner = "ycb", bool routed = true, DateTimeOffset? sentAt = null, string? unresolved = null) => new()
    {
        Id = "po_test",
        Client = "client-a",
        LoanId = "loan-1",
        Amount = 1200.50m,
        Currency = "CNY",
        Beneficiary = new Beneficiary("Li Lei", "6222020200112233445", "ICBC"),
        Status = PayoutStatus.Processing,
        Partner = partner,
        CreatedAt = Created,
        Routed = routed,
        SentAt = sentAt,
        UnresolvedCause = unresolved,
    };

    public static PayoutState State(PayoutRecord payout, params SendIntent[] intents) => new()
    {
        Payout = payout,
        Fence = 3,
        Intents = intents,
        Deadline = Created + ResolveFor,
    };

    public static SendIntent Intent(string partner, TimeSpan after) => new(partner, Created + after, 3);

    public static PartnerAnswer Answer(PartnerOutcome outcome, string? cause = null, string? label = null) => new()
    {
        Outcome = outcome,
        Label = label ?? outcome.ToString().ToLowerInvariant(),
        Cause = cause,
        PartnerReference = outcome is PartnerOutcome.Succeeded or PartnerOutcome.Processing ? "ref-1" : null,
    };

    public static readonly PartnerAnswer Succeeded = Answer(PartnerOutcome.Succeeded);
    public static readonly PartnerAnswer Processing = Answer(PartnerOutcome.Processing);
    public static readonly PartnerAnswer NotFound = Answer(PartnerOutcome.NotFound);
    public static readonly PartnerAnswer Duplicate = Answer(PartnerOutcome.Duplicate, Causes.DuplicatePayout);
    public static readonly PartnerAnswer TimedOut = Answer(PartnerOutcome.Unknown, Causes.PartnerTimeout, "timeout");
    public static readonly PartnerAnswer Unavailable = Answer(PartnerOutcome.NotExecuted, Causes.PartnerUnavailable, "refused");
    public static readonly PartnerAnswer RiskDeclined = Answer(PartnerOutcome.NotExecuted, "RISK_DECLINED", "rejected");
}
