using LoadDriver.Checks;
using LoadDriver.Runs;

namespace Load.Tests.Runs;

/// <summary>
/// How long a run's after-fault phase is: enough load that <see cref="LoadOptions.ObserveAfterFault"/> follows the last
/// declared fault's end, so a chaos scenario whose fault ended late (a slow restart) still has payouts to judge recovery on.
/// </summary>
public sealed class AfterFaultLengthTests
{
    private static readonly DateTimeOffset SteadyEnd = new(2026, 12, 1, 8, 0, 10, TimeSpan.Zero);
    private static readonly LoadOptions Chaos = new() { Rate = 20, ObserveAfterFault = TimeSpan.FromSeconds(3) };

    private static FaultWindow Ending(double secondsFromSteadyEnd) =>
        new("fault", SteadyEnd.AddSeconds(-8), SteadyEnd.AddSeconds(secondsFromSteadyEnd), new HashSet<string>(), TimeSpan.Zero);

    [Fact]
    public void FaultEndedLate_MakesUpTheMissingObservation() =>
        Assert.Equal(TimeSpan.FromSeconds(5), LoadRun.AfterFaultLength(Chaos, [Ending(2)], SteadyEnd));

    [Fact]
    public void FaultEndedEarlyEnough_NoPhase() =>
        Assert.Null(LoadRun.AfterFaultLength(Chaos, [Ending(-3)], SteadyEnd));

    [Fact]
    public void LessThanOneArrivalMissing_NoPhase() =>
        Assert.Null(LoadRun.AfterFaultLength(Chaos, [Ending(-2.96)], SteadyEnd));

    [Fact]
    public void TheLastFaultCounts() =>
        Assert.Equal(TimeSpan.FromSeconds(4), LoadRun.AfterFaultLength(Chaos, [Ending(1), Ending(-6)], SteadyEnd));

    [Fact]
    public void NoFaultDeclared_NoPhase() =>
        Assert.Null(LoadRun.AfterFaultLength(Chaos, [], SteadyEnd));

    [Fact]
    public void NotAsked_NoPhase() =>
        Assert.Null(LoadRun.AfterFaultLength(Chaos with { ObserveAfterFault = TimeSpan.Zero }, [Ending(2)], SteadyEnd));

    [Fact]
    public void AFaultThatNeverEndsInTime_IsCapped() =>
        Assert.Equal(LoadOptions.MaxAfterFault, LoadRun.AfterFaultLength(Chaos, [Ending(600)], SteadyEnd));
}
