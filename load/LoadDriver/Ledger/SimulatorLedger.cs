using Simulators.Prb;
using Simulators.SilkPay;
using Simulators.Ycb;

namespace LoadDriver.Ledger;

/// <summary>
/// The ledger of in-process simulators (ycb, and prb and SilkPay when given), keyed by the payout
/// id each partner carries as its reference (ycb <c>reqSeqNo</c>, prb <c>endToEndId</c>, SilkPay
/// <c>client_reference</c>), summed over the partners: a payout executed once at ycb and once at
/// prb counts twice. Not de-duplicated for ycb: per reference, its executions plus the sends the
/// simulator refused as duplicates while it held the reference as executed or processing. The
/// simulator, like a real bank, never pays one reference twice; a second send of a paid reference
/// (two gateway instances both sending one payout, say) is still a second execution for a partner
/// without that de-dup, so it counts here and fails "executed twice".
/// </summary>
public sealed class SimulatorLedger(YcbSimulator ycb, PrbSimulator? prb, SilkPaySimulator? silkpay, bool exclusive = true) : IPartnerLedger
{
    /// <summary>The ledger of the ycb simulator alone.</summary>
    public SimulatorLedger(YcbSimulator ycb, bool exclusive = true)
        : this(ycb, null, null, exclusive)
    {
    }

    public bool IsExclusive => exclusive;

    /// <summary>References left out of the counts: the deployment's own warm-up payouts (<see cref="Deployment.PartnerWarmUp"/>).</summary>
    public IReadOnlySet<string> Excluded { get; init; } = new HashSet<string>();

    public Task<IReadOnlyDictionary<string, int>> ExecutionCountsAsync(CancellationToken cancellationToken)
    {
        var references = ycb.Executions.Select(e => e.ReqSeqNo)
            .Concat(prb?.Executions.Select(e => e.EndToEndId) ?? [])
            .Concat(silkpay?.Executions.Select(e => e.ClientReference) ?? []);
        var counts = references
            .Where(reference => !Excluded.Contains(reference))
            .GroupBy(reference => reference, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var (reference, resends) in ycb.RefusedResends.Where(r => !Excluded.Contains(r.Key)))
        {
            counts[reference] = counts.GetValueOrDefault(reference) + resends;
        }

        return Task.FromResult<IReadOnlyDictionary<string, int>>(counts);
    }
}
