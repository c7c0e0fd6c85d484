using LoadDriver.Payouts;

namespace LoadDriver.Runs;

/// <summary>Where a chaos scenario joins a load run.</summary>
public sealed record LoadHooks
{
    /// <summary>Called just before each payout is submitted (e.g. to set a simulator behaviour on its account).</summary>
    public Action<PlannedPayout, TimeSpan>? BeforeSend { get; init; }

    /// <summary>Started when the steady phase starts, awaited when it ends: the fault script. Must be bounded.</summary>
    public Func<CancellationToken, Task>? DuringSteady { get; init; }
}
