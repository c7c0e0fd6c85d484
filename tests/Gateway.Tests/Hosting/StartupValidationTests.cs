using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Hosting;

/// <summary>Bad configuration stops the host before traffic, with every problem named.</summary>
public sealed class StartupValidationTests
{
    [Fact]
    public void Start_WithoutAppSecretAndWithBadTimeouts_FailsNamingEachKey()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings["Partners:ycb:AppSecret"] = "";
        settings["Partners:ycb:Timeout"] = "00:00:10";
        settings["Partners:ycb:TotalTimeout"] = "00:00:05";
        using var gateway = new GatewayFactory(settings);

        var error = Assert.ThrowsAny<Exception>(() => gateway.Server);

        var message = Flatten(error);
        Assert.Contains("AppSecret", message, StringComparison.Ordinal);
        Assert.Contains("TotalTimeout", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_RoutingNamesAnUnconfiguredPartner_Fails()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings["Routing:Order"] = "ycb,acme";
        using var gateway = new GatewayFactory(settings);

        var error = Assert.ThrowsAny<Exception>(() => gateway.Server);

        Assert.Contains("Routing:Order names unknown partner 'acme'", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_WithoutApiKeys_Fails()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings.Remove($"Auth:ApiKeys:{GatewayFactory.ClientA}");
        settings.Remove($"Auth:ApiKeys:{GatewayFactory.ClientB}");
        using var gateway = new GatewayFactory(settings);

        var error = Assert.ThrowsAny<Exception>(() => gateway.Server);

        Assert.Contains("Auth:ApiKeys", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_LeaseNotLongerThanInquiryGrace_Fails()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings["Recovery:LeaseTtl"] = "00:00:02";
        settings["Recovery:ScanInterval"] = "00:00:01";
        settings["Partners:ycb:InquiryGrace"] = "00:00:03";
        using var gateway = new GatewayFactory(settings);

        var error = Assert.ThrowsAny<Exception>(() => gateway.Server);

        Assert.Contains("Recovery:LeaseTtl (00:00:02) must be longer than Partners:ycb:InquiryGrace", Flatten(error), StringComparison.Ordinal);
    }

    private static string Flatten(Exception error) => error is AggregateException aggregate
        ? string.Join("\n", aggregate.Flatten().InnerExceptions.Select(e => e.Message))
        : error.ToString();
}
