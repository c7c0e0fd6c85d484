using Gateway.Idempotency;
using Gateway.Recovery;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// Another gateway instance that records a payout (claim: processing, lease, reconciler list)
/// and then dies: its one-second lease lapses, and a live instance's reconciler may take over.
/// </summary>
public static class DeadInstance
{
    public const string Fingerprint = "fingerprint-of-the-dead-instance";

    /// <summary>A payout of client A to ycb, as such an instance would have recorded it.</summary>
    public static PayoutRecord Payout(string? account = null, decimal amount = 1234.56m, string loanId = "LN-2026-000778",
        bool routed = false) => new()
    {
        Id = Ids.Of(GatewayFactory.ClientA, Api.NewKey()),
        Client = GatewayFactory.ClientA,
        LoanId = loanId,
        Amount = amount,
        Currency = "CNY",
        Beneficiary = new Beneficiary("王五", account ?? Accounts.New(), "ICBC"),
        Status = PayoutStatus.Processing,
        Partner = "ycb",
        Routed = routed,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>Claims <paramref name="payout"/> as the dying instance through <paramref name="state"/>.</summary>
    public static async Task<PayoutRecord> ClaimAsync(StateDatabase state, PayoutRecord payout)
    {
        var dead = new IdempotencyStore(state, new InstanceIdentity(),
            Options.Create(new RecoveryOptions { LeaseTtl = TimeSpan.FromSeconds(1) }), Options.Create(new PayoutsOptions()));
        var claim = await dead.ClaimAsync(payout, Fingerprint, TimeSpan.FromSeconds(1));
        Assert.Equal(ClaimOutcome.Created, claim.Outcome);
        return payout;
    }
}
