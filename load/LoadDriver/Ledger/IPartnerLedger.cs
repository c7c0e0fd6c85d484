namespace LoadDriver.Ledger;

/// <summary>What the partners (the simulators) actually executed: the ground truth the checks compare the API with.</summary>
public interface IPartnerLedger
{
    /// <summary>Executions per reference (reqSeqNo, which is the payout id).</summary>
    Task<IReadOnlyDictionary<string, int>> ExecutionCountsAsync(CancellationToken cancellationToken);

    /// <summary>True when only this run's payouts reach the simulator, so an execution of an unknown reference is an error.</summary>
    bool IsExclusive { get; }
}
