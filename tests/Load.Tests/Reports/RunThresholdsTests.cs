using LoadDriver.Payouts;
using LoadDriver.Reports;
using LoadDriver.Runs;
using static Load.Tests.Reports.RunFixture;

namespace Load.Tests.Reports;

public sealed class RunThresholdsTests
{
    private static readonly LoadRunResult Run = Result(
        [Sent(LoadRun.SteadyPhase, 0, "a", 0.1, 40, 201), Sent(LoadRun.SteadyPhase, 1, "b", 0.2, 80, 201)],
        [
            Resolved("a", "succeeded"),
            Resolved("b", "succeeded", kind: PayoutKind.Slow),
            Resolved("c", "failed", "account_frozen", PayoutKind.Reject),
            Resolved("d", "failed", "partner_unavailable", PayoutKind.Drop),
        ]);

    [Fact]
    public void Evaluate_None_GivesNoResults() => Assert.Empty(RunThresholds.None.Evaluate(Run));

    [Fact]
    public void Evaluate_Held()
    {
        var results = new RunThresholds(TimeSpan.FromMilliseconds(100), 60).Evaluate(Run);

        Assert.Equal([RunThresholds.P99Name, RunThresholds.SuccessName], results.Select(r => r.Name));
        Assert.All(results, r => Assert.True(r.Held, r.Actual));
        Assert.StartsWith("66.67 % (2 of 3)", results[1].Actual, StringComparison.Ordinal); // the reject is not expected to succeed
    }

    [Fact]
    public void Evaluate_Broken()
    {
        var results = new RunThresholds(TimeSpan.FromMilliseconds(50), 70).Evaluate(Run);

        Assert.All(results, r => Assert.False(r.Held, r.Actual));
        Assert.Equal(RunSummary.Fail, RunSummary.VerdictOf(Run, results));
    }
}
