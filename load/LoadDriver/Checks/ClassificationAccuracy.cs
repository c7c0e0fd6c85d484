namespace LoadDriver.Checks;

/// <summary>
/// How well the gateway diagnosed the failures whose cause the run knows: the rejects' magic
/// causes and, for payouts a declared fault made fail, the fault's causes. <see cref="Known"/>
/// such payouts ended failed or should have; <see cref="Correct"/> of them carry that cause.
/// </summary>
public sealed record ClassificationAccuracy(int Known, int Correct, IReadOnlyList<string> Misdiagnosed)
{
    /// <summary>Correct / known, or null when the run knew no cause.</summary>
    public double? Share => Known == 0 ? null : (double)Correct / Known;

    public override string ToString() => Share is { } share
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{share:P1} ({Correct} of {Known})")
        : "n/a (no known causes)";
}
