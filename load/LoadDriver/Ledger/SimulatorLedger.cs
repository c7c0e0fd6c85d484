using Simulators.Ycb;

namespace LoadDriver.Ledger;

/// <summary>
/// The ledger of an in-process <see cref="YcbSimulator"/>, not de-duplicated: per reference, its
/// executions plus the sends the simulator refused as duplicates while it held the reference as
/// executed or processing. The simulator, like a real bank, never pays one reference twice; a
/// second send of a paid reference (two gateway instances both sending one payout, say) is still a
/// second execution for a partner without that de-dup, so it counts here and fails "executed twice".
/// </summary>
public sealed class SimulatorLedger(YcbSimulator simulator, bool exclusive = true) : IPartnerLedger
{
    public bool IsExclusive => exclusive;

    public Task<IReadOnlyDictionary<string, int>> ExecutionCountsAsync(CancellationToken cancellationToken)
    {
        var counts = simulator.Executions
            .GroupBy(e => e.ReqSeqNo, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var (reference, resends) in simulator.RefusedResends)
        {
            counts[reference] = counts.GetValueOrDefault(reference) + resends;
        }

        return Task.FromResult<IReadOnlyDictionary<string, int>>(counts);
    }
}
