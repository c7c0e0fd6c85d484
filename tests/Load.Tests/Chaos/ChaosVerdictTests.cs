using ChaosSuite;
using LoadDriver.Checks;

namespace Load.Tests.Chaos;

/// <summary>The chaos verdict beyond the correctness checks: classification accuracy (bar 100 %) and recovery within a scenario's bound.</summary>
public sealed class ChaosVerdictTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Accuracy_AllKnownCausesRight_Holds()
    {
        var part = ChaosVerdict.Accuracy(new ClassificationAccuracy(40, 40, []));

        Assert.True(part.Held);
        Assert.EndsWith("(40 of 40)", part.Detail, StringComparison.Ordinal);
        Assert.Empty(part.Examples);
    }

    [Fact]
    public void Accuracy_OneMisdiagnosed_FailsListingIt()
    {
        var part = ChaosVerdict.Accuracy(new ClassificationAccuracy(40, 39, ["po_7 (reject): expected failed ACCOUNT_FROZEN, got failed PARTNER_UNAVAILABLE at ycb"]));

        Assert.False(part.Held);
        Assert.EndsWith("(39 of 40)", part.Detail, StringComparison.Ordinal);
        Assert.Equal(["po_7 (reject): expected failed ACCOUNT_FROZEN, got failed PARTNER_UNAVAILABLE at ycb"], part.Examples);
    }

    [Fact]
    public void Accuracy_NoKnownCause_Holds() =>
        Assert.True(ChaosVerdict.Accuracy(new ClassificationAccuracy(0, 0, [])).Held);

    [Theory]
    [InlineData(0, 15, true)]
    [InlineData(15, 15, true)]
    [InlineData(16, 15, false)]
    [InlineData(3, 2, false)]
    public void Recovery_WithinTheBoundHolds_BeyondItFails(int seconds, int bound, bool held)
    {
        var part = ChaosVerdict.Recovery(true, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(bound));

        Assert.Equal(held, part.Held);
        Assert.Equal($"recovered within {bound} s", part.Name);
    }

    [Fact]
    public void Recovery_Never_Fails()
    {
        var part = ChaosVerdict.Recovery(true, null, TimeSpan.FromSeconds(15));

        Assert.False(part.Held);
        Assert.StartsWith("never", part.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Recovery_NoFaultDeclared_Holds() =>
        Assert.True(ChaosVerdict.Recovery(false, null, TimeSpan.FromSeconds(15)).Held);

    [Fact]
    public void LastFaultEnd_TheLatestEnd_NullWithoutFaults()
    {
        var windows = new[]
        {
            new FaultWindow("b", T0.AddSeconds(1), T0.AddSeconds(9), new HashSet<string>(), TimeSpan.FromSeconds(30)),
            new FaultWindow("a", T0, T0.AddSeconds(4), new HashSet<string>(), TimeSpan.Zero),
        };

        Assert.Equal(T0.AddSeconds(9), FaultWindow.LastEnd(windows));
        Assert.Null(FaultWindow.LastEnd([]));
    }
}
