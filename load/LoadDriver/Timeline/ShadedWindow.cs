namespace LoadDriver.Timeline;

/// <summary>A fault that was in effect from <see cref="From"/> to <see cref="To"/> (wall clock), shaded on the report's charts (a declared <see cref="Checks.FaultWindow"/> without its allowances).</summary>
public sealed record ShadedWindow(string Name, DateTimeOffset From, DateTimeOffset To);
