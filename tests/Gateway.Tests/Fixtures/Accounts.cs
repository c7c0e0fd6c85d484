namespace Gateway.Tests.Fixtures;

public static class Accounts
{
    /// <summary>A fresh 19-digit account number, so behaviours set on the simulator never leak between tests.</summary>
    public static string New() => "6222" + Random.Shared.NextInt64(100_000_000_000_000, 999_999_999_999_999);
}
