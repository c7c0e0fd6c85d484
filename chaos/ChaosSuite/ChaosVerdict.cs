using System.Globalization;
using LoadDriver.Checks;
using LoadDriver.Runs;

namespace ChaosSuite;

/// <summary>
/// A scenario's verdict beyond the correctness checks: classification accuracy (every failure whose
/// cause the run knows must carry it: <see cref="AccuracyBar"/> is 100 %) and recovery (the outcomes
/// must be back to expected within the scenario's bound after its last declared fault ends). Pure
/// functions, so the thresholds are tested without processes (tests/Load.Tests/Chaos).
/// </summary>
internal static class ChaosVerdict
{
    /// <summary>The share of known causes that must be diagnosed right: all of them.</summary>
    public const double AccuracyBar = 1.0;

    /// <summary>Whether <paramref name="accuracy"/> meets the bar; a run that knew no cause meets it (nothing to diagnose).</summary>
    public static VerdictPart Accuracy(ClassificationAccuracy accuracy)
    {
        ArgumentNullException.ThrowIfNull(accuracy);
        var held = accuracy.Share is not { } share || share >= AccuracyBar;
        return new VerdictPart("classification accuracy 100 %", held, accuracy.ToString(), held ? [] : accuracy.Misdiagnosed);
    }

    /// <summary>
    /// Whether the outcomes recovered within <paramref name="bound"/>: <paramref name="recovery"/> is
    /// <see cref="LoadRunResult.RecoveryAfter"/> of the last declared fault's end (null: never within
    /// the run, which fails). A scenario that declared no fault has nothing to recover from and holds.
    /// </summary>
    public static VerdictPart Recovery(bool faultDeclared, TimeSpan? recovery, TimeSpan bound)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"recovered within {bound.TotalSeconds:0.#} s");
        if (!faultDeclared)
        {
            return new VerdictPart(name, true, "no fault declared", []);
        }

        return recovery is not { } took
            ? new VerdictPart(name, false, "never: payouts submitted after the fault still ended otherwise than expected at the end of the run", [])
            : new VerdictPart(name, took <= bound, string.Create(CultureInfo.InvariantCulture, $"{took.TotalSeconds:0.#} s after the fault ended"), []);
    }

    /// <summary>Accuracy and recovery of a finished run of a scenario with recovery bound <paramref name="bound"/>.</summary>
    public static IReadOnlyList<VerdictPart> Judge(LoadRunResult result, TimeSpan bound)
    {
        ArgumentNullException.ThrowIfNull(result);
        var end = FaultWindow.LastEnd(result.Policy.FaultWindows);
        return [Accuracy(result.Classification), Recovery(end is not null, end is { } at ? result.RecoveryAfter(at) : null, bound)];
    }
}

/// <summary>One judged part of a verdict: its name, whether it held, what was measured, and examples when it did not.</summary>
internal sealed record VerdictPart(string Name, bool Held, string Detail, IReadOnlyList<string> Examples);
