using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Hosting;

/// <summary><c>Hosting:ShutdownTimeout</c> must leave a partner call in flight at SIGTERM time to finish and be saved.</summary>
public sealed class ShutdownOptionsTests
{
    [Fact]
    public void Start_ShutdownTimeoutShorterThanAPartnerCallPlusItsSave_FailsNamingBothKeys()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings["Partners:ycb:TotalTimeout"] = "00:00:20";
        settings["Hosting:ShutdownTimeout"] = "00:00:20";
        var message = StartupFailure.Of(settings);

        Assert.Contains("Hosting:ShutdownTimeout (00:00:20) must be at least Partners:ycb:TotalTimeout (00:00:20) + 5 s", message, StringComparison.Ordinal);
    }
}
