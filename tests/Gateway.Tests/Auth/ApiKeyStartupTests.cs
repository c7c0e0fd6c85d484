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

        var message = StartupFailure.Of(settings);

        Assert.True(message.Contains($"Auth:ApiKeys:{GatewayFactory.ClientB} and Auth:OpsKeys:night-shift share one key", StringComparison.Ordinal), message);
        Assert.Contains("a key carries one role (client, on-call or operator), never two", message, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayFactory.KeyB, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ShortOnCallKey_FailsNamingIt()
    {
        var settings = Settings();
        settings["Auth:OpsKeys:night-shift"] = "short-key";

        var message = StartupFailure.Of(settings);

        Assert.True(message.Contains("Auth:OpsKeys:night-shift must be at least 16 characters", StringComparison.Ordinal), message);
        Assert.DoesNotContain("short-key", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_TwoOnCallNamesShareAKey_FailsNamingBoth()
    {
        var settings = Settings();
        settings["Auth:OpsKeys:night-shift"] = GatewayFactory.OpsKey;

        var message = StartupFailure.Of(settings);

        Assert.True(message.Contains($"Auth:OpsKeys:night-shift, Auth:OpsKeys:{GatewayFactory.OnCall} share one key", StringComparison.Ordinal), message);
    }

    [Fact]
    public void Start_TheOnCallKeyIsAlsoAnOperatorKey_FailsNamingBoth()
    {
        var settings = Settings();
        settings["Auth:OperatorKeys:storage-lead"] = GatewayFactory.OpsKey;

        var message = StartupFailure.Of(settings);

        Assert.True(message.Contains($"Auth:OpsKeys:{GatewayFactory.OnCall} and Auth:OperatorKeys:storage-lead share one key", StringComparison.Ordinal), message);
        Assert.Contains("never two", message, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayFactory.OpsKey, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ShortOperatorKey_FailsNamingIt()
    {
        var settings = Settings();
        settings["Auth:OperatorKeys:storage-lead"] = "short-key";

        var message = StartupFailure.Of(settings);

        Assert.True(message.Contains("Auth:OperatorKeys:storage-lead must be at least 16 characters", StringComparison.Ordinal), message);
        Assert.DoesNotContain("short-key", message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings() =>
        GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");

}
