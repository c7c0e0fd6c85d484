namespace LoadDriver.Timeline;

/// <summary>A fault that was in effect from <see cref="From"/> to <see cref="To"/> (wall clock), shaded on the report's charts.</summary>
public sealed record FaultWindow(string Name, DateTimeOffset From, DateTimeOffset To);
