using Gateway.Partners.Chaos;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Partners.Chaos;

/// <summary>Chaos is refused in Production with one start-up error, and its settings are checked elsewhere.</summary>
public sealed class ChaosStartupTests
{
    [Fact]
    public void Start_InProductionWithChaosEnabled_IsRefusedWithOneClearError()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings["Chaos:Enabled"] = "true";
        settings["Chaos:Partners:ycb:FaultRate"] = "0.1";

        var message = StartupFailure.Of(settings);

        Assert.Contains(ChaosOptionsValidator.RefusedInProduction, message, StringComparison.Ordinal);
        Assert.Contains("Chaos:Enabled is true in the Production environment", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_InStagingWithAnUnknownPartnerOrABadRate_FailsNamingEachKey()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings["environment"] = "Staging";
        settings["Chaos:Enabled"] = "true";
        settings["Chaos:Partners:acme:FaultRate"] = "0.5";
        settings["Chaos:Partners:ycb:OutcomeRate"] = "1.5";
        settings["Chaos:Partners:ycb:OutcomeStatus"] = "404";
        settings["Chaos:Partners:ycb:Latency"] = "00:20:00";

        var message = StartupFailure.Of(settings);

        Assert.Contains("Chaos:Partners:acme names unknown partner 'acme'", message, StringComparison.Ordinal);
        Assert.Contains("Chaos:Partners:ycb:OutcomeRate", message, StringComparison.Ordinal);
        Assert.Contains("Chaos:Partners:ycb:OutcomeStatus is 404", message, StringComparison.Ordinal);
        Assert.Contains("Chaos:Partners:ycb:Latency", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ChaosOff_AcceptsAnythingInProduction()
    {
        var validator = new ChaosOptionsValidator(new HostEnvironment("Production"), []);
        var options = new ChaosOptions();
        options.Partners["acme"] = new ChaosPartnerOptions { FaultRate = 7 };

        Assert.True(validator.Validate(null, options).Succeeded);
        options.Enabled = true;
        Assert.Equal([ChaosOptionsValidator.RefusedInProduction], validator.Validate(null, options).Failures);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Staging")]
    [InlineData("GameDay")]
    public void Validate_ChaosOn_IsAllowedOutsideProduction(string environment)
    {
        var validator = new ChaosOptionsValidator(new HostEnvironment(environment), []);

        Assert.True(validator.Validate(null, new ChaosOptions { Enabled = true }).Succeeded);
    }

    private sealed class HostEnvironment(string name) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Gateway";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
