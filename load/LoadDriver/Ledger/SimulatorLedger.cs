using Simulators.Ycb;

namespace LoadDriver.Ledger;

/// <summary>The ledger of an in-process <see cref="YcbSimulator"/>.</summary>
public sealed class SimulatorLedger(YcbSimulator simulator, bool exclusive = true) : IPartnerLedger
{
    public bool IsExclusive => exclusive;

    public Task<IReadOnlyDictionary<string, int>> ExecutionCountsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(simulator.Executions
            .GroupBy(e => e.ReqSeqNo, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
}
