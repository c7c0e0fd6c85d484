namespace LoadDriver.Checks;

/// <summary>
/// A fault a run declares (a chaos scenario's partner outage, a Redis kill): a payout submitted in
/// [<see cref="From"/>, <see cref="To"/> + <see cref="Grace"/>] may end <c>failed</c> with one of
/// <see cref="MayCause"/> instead of its expected outcome, or (<see cref="MayFailOver"/>) succeed at
/// another partner than expected. Anything else it does is still a violation.
/// </summary>
/// <param name="Name">For the report: "ycb down", "redis killed".</param>
/// <param name="From">When the fault starts.</param>
/// <param name="To">When the fault ends (the fix is applied).</param>
/// <param name="MayCause">The causes the fault may give a payout (PARTNER_UNAVAILABLE, PARTNER_CIRCUIT_OPEN, NO_ROUTE…).</param>
/// <param name="Grace">How long after <see cref="To"/> a submitted payout may still be affected.</param>
public sealed record FaultWindow(string Name, DateTimeOffset From, DateTimeOffset To, IReadOnlySet<string> MayCause, TimeSpan Grace)
{
    /// <summary>Whether an affected payout may succeed at another partner than expected (routed payouts failing over). Default true.</summary>
    public bool MayFailOver { get; init; } = true;

    /// <summary>The end of the span of submit times the fault covers.</summary>
    public DateTimeOffset CoversUntil => To + Grace;

    /// <summary>Whether a payout submitted at <paramref name="submittedAt"/> is in the window (grace included).</summary>
    public bool Covers(DateTimeOffset submittedAt) => submittedAt >= From && submittedAt <= CoversUntil;

    /// <summary>Whether the fault explains this final outcome of a payout it covers.</summary>
    public bool Explains(string? status, string? cause, bool otherPartner) =>
        (status == "failed" && cause is not null && MayCause.Contains(cause))
        || (status == "succeeded" && otherPartner && MayFailOver);

    public override string ToString() =>
        $"{Name} {From:HH:mm:ss.fff}–{To:HH:mm:ss.fff} (+{Grace.TotalSeconds:0.#} s grace) may cause {string.Join(", ", MayCause.Order(StringComparer.Ordinal))}{(MayFailOver ? " or a failover" : "")}";

    /// <summary>The end of the last of <paramref name="windows"/> (the latest <see cref="To"/>), or null when there is none.</summary>
    public static DateTimeOffset? LastEnd(IReadOnlyList<FaultWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        return windows.Count == 0 ? null : windows.Max(w => w.To);
    }
}
