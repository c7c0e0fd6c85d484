using LoadDriver.Runs;

namespace Load.Tests.Runs;

/// <summary>
/// The longest a run's after-fault phase may be: until <see cref="LoadOptions.AwaitRecovery"/> after the last declared
/// fault's end (the phase stops earlier once the outcomes show recovery, <see cref="RecoveryWatchTests"/>).
/// </summary>
public sealed class AfterFaultLengthTests
{
    private static readonly DateTimeOffset SteadyEnd = new(2026, 12, 1, 8, 0, 10, TimeSpan.Zero);
    private static readonly LoadOptions Chaos = new() { Rate = 20, RecoveryEvidence = TimeSpan.FromSeconds(3), AwaitRecovery = TimeSpan.FromSeconds(19) };

    [Fact]
    public void FaultEndedBeforeTheSteadyEnd_WhatIsLeftOfTheWait() =>
        Assert.Equal(TimeSpan.FromSeconds(13), LoadRun.AfterFaultLength(Chaos, SteadyEnd.AddSeconds(-6), SteadyEnd));

    [Fact]
    public void FaultEndedAfterTheSteadyEnd_TheWholeWait() =>
        Assert.Equal(TimeSpan.FromSeconds(21), LoadRun.AfterFaultLength(Chaos, SteadyEnd.AddSeconds(2), SteadyEnd));

    [Fact]
    public void TheWaitIsOver_NoPhase() =>
        Assert.Null(LoadRun.AfterFaultLength(Chaos, SteadyEnd.AddSeconds(-19), SteadyEnd));

    [Fact]
    public void LessThanOneArrivalLeft_NoPhase() =>
        Assert.Null(LoadRun.AfterFaultLength(Chaos, SteadyEnd.AddSeconds(-18.96), SteadyEnd));

    [Fact]
    public void AFaultThatNeverEndsInTime_IsCapped() =>
        Assert.Equal(LoadOptions.MaxAfterFault, LoadRun.AfterFaultLength(Chaos, SteadyEnd.AddSeconds(600), SteadyEnd));
}
