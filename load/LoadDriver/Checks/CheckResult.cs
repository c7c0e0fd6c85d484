namespace LoadDriver.Checks;

/// <summary>One correctness invariant: whether it held, how many payouts it looked at, and examples of violations.</summary>
public sealed record CheckResult(string Name, bool Passed, string Detail, IReadOnlyList<string> Examples);
