using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Auth;

/// <summary>Key configuration that would blur the roles stops the host at start-up, naming the settings.</summary>
public sealed class ApiKeyStartupTests
{
    [Fact]
    public void Start_OneKeyIsBothAClientAndAnOnCallKey_FailsNamingBoth()
    {
        var settings = Settings();
        settings["Auth:OpsKeys:night-shift"] = GatewayFactory.KeyB;

        var message = StartFailure(settings);

        Assert.Contains($"Auth:ApiKeys:{GatewayFactory.ClientB} and Auth:OpsKeys:night-shift share one key", message, StringComparison.Ordinal);
        Assert.Contains("never both", message, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayFactory.KeyB, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ShortOnCallKey_FailsNamingIt()
    {
        var settings = Settings();
        settings["Auth:OpsKeys:night-shift"] = "short-key";

        var message = StartFailure(settings);

        Assert.Contains("Auth:OpsKeys:night-shift must be at least 16 characters", message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-key", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_TwoOnCallNamesShareAKey_FailsNamingBoth()
    {
        var settings = Settings();
        settings["Auth:OpsKeys:night-shift"] = GatewayFactory.OpsKey;

        var message = StartFailure(settings);

        Assert.Contains($"Auth:OpsKeys:night-shift, Auth:OpsKeys:{GatewayFactory.OnCall} share one key", message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings() =>
        GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");

    private static string StartFailure(Dictionary<string, string?> settings)
    {
        using var gateway = new GatewayFactory(settings);
        var error = Assert.ThrowsAny<Exception>(() => gateway.Server);
        return error is AggregateException aggregate
            ? string.Join("\n", aggregate.Flatten().InnerExceptions.Select(e => e.Message))
            : error.ToString();
    }
}
