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
        var message = StartupFailure.Of(settings);

        Assert.Contains("AppSecret", message, StringComparison.Ordinal);
        Assert.Contains("TotalTimeout", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_WithBadWebhookSettings_FailsNamingEachKey()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings[$"Webhooks:{GatewayFactory.ClientA}:Url"] = "not a url";
        settings[$"Webhooks:{GatewayFactory.ClientA}:Secret"] = "short";
        settings["Webhooks:nobody:Url"] = "https://example.com/hook";
        settings["Webhooks:nobody:Secret"] = "0123456789abcdef";
        settings["WebhookDelivery:AttemptTimeout"] = "10";
        settings["WebhookDelivery:DeadLetterRetention"] = "00:10:00";
        var message = StartupFailure.Of(settings);

        Assert.Contains($"Webhooks:{GatewayFactory.ClientA}:Url must be an absolute http(s) URL", message, StringComparison.Ordinal);
        Assert.Contains($"Webhooks:{GatewayFactory.ClientA}:Secret must be at least 16 characters", message, StringComparison.Ordinal);
        Assert.Contains("Webhooks:nobody names no API client", message, StringComparison.Ordinal);
        Assert.Contains("WebhookDelivery:AttemptTimeout is '10'", message, StringComparison.Ordinal);
        Assert.Contains("WebhookDelivery:DeadLetterRetention", message, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_RoutingNamesAnUnconfiguredPartner_Fails()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings["Routing:Order"] = "ycb,acme";
        var message = StartupFailure.Of(settings);

        Assert.Contains("Routing:Order names unknown partner 'acme'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_WithoutApiKeys_Fails()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings.Remove($"Auth:ApiKeys:{GatewayFactory.ClientA}");
        settings.Remove($"Auth:ApiKeys:{GatewayFactory.ClientB}");
        var message = StartupFailure.Of(settings);

        Assert.Contains("Auth:ApiKeys", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_LeaseNotLongerThanInquiryGrace_Fails()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings["Recovery:LeaseTtl"] = "00:00:02";
        settings["Recovery:ScanInterval"] = "00:00:01";
        settings["Partners:ycb:InquiryGrace"] = "00:00:03";
        var message = StartupFailure.Of(settings);

        Assert.Contains("Recovery:LeaseTtl (00:00:02) must be longer than Partners:ycb:InquiryGrace", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ShortIdSecret_Fails()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings["Payouts:IdSecret"] = "too-short";
        var message = StartupFailure.Of(settings);

        Assert.Contains("Payouts:IdSecret must be at least 32 characters", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InDevelopmentWithoutIdSecret_StartsWithTheDevelopmentSecret()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings.Remove("Payouts:IdSecret");
        settings["environment"] = "Development";
        using var gateway = new GatewayFactory(settings);

        var live = await gateway.CreateClient().GetAsync("/health/live");

        Assert.True(live.IsSuccessStatusCode);
    }

    [Theory]
    [InlineData("http://partner.example.com/")]
    [InlineData("http://10.1.2.3:8080/")]
    public void Start_InProductionWithAPlainHttpPartner_FailsNamingTheBaseUrl(string baseUrl)
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", baseUrl);
        var message = StartupFailure.Of(settings);

        Assert.Contains("Partners:ycb:BaseUrl must be https outside Development", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://partner.example.com/", "Production")]
    [InlineData("http://localhost:1/", "Production")]
    [InlineData("http://[::1]:1/", "Production")]
    [InlineData("http://partner.example.com/", "Development")]
    public async Task Start_HttpsOrLoopbackPartner_Starts(string baseUrl, string environment)
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", baseUrl);
        settings["environment"] = environment;
        using var gateway = new GatewayFactory(settings);

        var live = await gateway.CreateClient().GetAsync("/health/live");

        Assert.True(live.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Start_InProductionOnAnEvictingRedis_FailsNamingThePolicy()
    {
        await using var evicting = await RedisServer.StartNewAsync("--maxmemory-policy", "allkeys-lru");
        var message = StartupFailure.Of(GatewayFactory.Settings(evicting.ConnectionString, "http://127.0.0.1:1"));

        Assert.Contains("maxmemory-policy is 'allkeys-lru'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OutsideProductionOnAnEvictingRedis_StartsAndWarns()
    {
        await using var evicting = await RedisServer.StartNewAsync("--maxmemory-policy", "volatile-lru");
        var settings = GatewayFactory.Settings(evicting.ConnectionString, "http://127.0.0.1:1");
        settings["environment"] = "Staging";
        using var gateway = new GatewayFactory(settings);

        var live = await gateway.CreateClient().GetAsync("/health/live");

        Assert.True(live.IsSuccessStatusCode);
        Assert.Contains(gateway.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Warning && PolicyOf(e) == "volatile-lru");
    }

    [Fact]
    public async Task Start_OnANonEvictingRedis_LogsThePolicy()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var gateway = new GatewayFactory(GatewayFactory.Settings(redis.ConnectionString, "http://127.0.0.1:1"));

        _ = gateway.Server;

        Assert.Contains(gateway.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Information && PolicyOf(e) == "noeviction");
    }

    private static string? PolicyOf(Serilog.Events.LogEvent e) =>
        e.Properties.TryGetValue("Policy", out var value) && value is Serilog.Events.ScalarValue { Value: string policy } ? policy : null;

    [Fact]
    public async Task Start_RealProcessWithABadSetting_ExitsNamingIt()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings["Auth:OpsKeys:night-shift"] = "short-key";

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => GatewayProcesses.StartAsync(settings));

        Assert.Contains("the gateway exited at start", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:OpsKeys:night-shift must be at least 16 characters", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-key", error.Message, StringComparison.Ordinal);
    }
}
