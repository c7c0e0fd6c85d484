using Gateway.Diagnosis;
using Gateway.Partners;
using Gateway.Partners.Ycb;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Gateway.Tests.Partners;

/// <summary>
/// One partner, one module: each dialect's single registration names its own codes file, and the
/// registry builds every enabled partner once, with all its parts. Runs on Linux, where file names
/// are case-sensitive: a codes file found only by a casing convention would not load here.
/// </summary>
public sealed class PartnerModuleTests
{
    [Fact]
    public void CodeTables_LoadForEveryDialect_FromTheFileItsModuleNames()
    {
        using var services = AllPartners();
        var registry = services.GetRequiredService<PartnerRegistry>();
        var modules = services.GetServices<PartnerModule>().ToList();

        Assert.Equal(["ycb", "silkpay", "prb"], registry.Known);
        Assert.Equal(registry.Known, registry.Enabled.Select(p => p.Name));
        foreach (var module in modules)
        {
            var partner = registry.Get(module.Name);
            Assert.NotEmpty(partner.Codes.Rows);
            Assert.Equal(module.Name, partner.Codes.Partner);
            Assert.Equal(Path.Combine(AppContext.BaseDirectory, module.CodesFile), partner.Codes.Path);

            // Every segment exactly as on disk, whatever the file system's case rules.
            var directory = AppContext.BaseDirectory;
            foreach (var segment in module.CodesFile.Split(Path.DirectorySeparatorChar))
            {
                Assert.Contains(segment, Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName));
                directory = Path.Combine(directory, segment);
            }

            Assert.Equal($"{module.Name}-codes.json", Path.GetFileName(module.CodesFile));
        }
    }

    [Fact]
    public void Partner_IsBuiltOnceWithAllItsParts()
    {
        using var services = AllPartners();
        var registry = services.GetRequiredService<PartnerRegistry>();

        foreach (var partner in registry.Enabled)
        {
            Assert.Same(partner, registry.Get(partner.Name));
            Assert.True(registry.TryGet(partner.Name, out var same) && ReferenceEquals(partner, same));
            Assert.Equal(partner.Name, partner.Client.Name);
            Assert.NotNull(partner.Disburse);
            Assert.NotNull(partner.Inquiry);
            Assert.Equal("closed", partner.Circuit.State);
            Assert.Null(partner.Quota);
            Assert.Null(partner.Stats.Summary(PartnerCallStats.Disburse));
        }

        Assert.NotNull(registry.Get("ycb").ProxyCredentials);
        Assert.NotNull(registry.Get("prb").ProxyCredentials);
        Assert.Null(registry.Get("silkpay").ProxyCredentials);
        Assert.False(registry.TryGet("acme", out _));
        Assert.Equal("closed", services.GetRequiredService<PartnerCircuits>().StateOf("acme"));
    }

    [Fact]
    public async Task NoQuotaConfigured_DisbursementPipelineHasNoRateLimiter()
    {
        using var services = AllPartners();
        var ycb = services.GetRequiredService<PartnerRegistry>().Get("ycb");
        var answer = new Gateway.Core.PartnerAnswer { Outcome = Gateway.Core.PartnerOutcome.Succeeded, Label = "succeeded" };

        // Far beyond the quota that used to apply silently (100 per second): none waits, none is refused.
        var answers = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(_ =>
            ycb.Disburse.ExecuteAsync(static (a, _) => ValueTask.FromResult(a), answer, CancellationToken.None).AsTask()));

        Assert.All(answers, a => Assert.Equal("succeeded", a.Label));
        Assert.Null(ycb.Quota);
    }

    [Fact]
    public void QuotaSettingsWithoutPermits_AreRefusedNotIgnored()
    {
        var options = new YcbOptions { BaseUrl = new Uri("https://ycb.example"), AppId = "a", AppSecret = "s" };
        options.RateLimit.Burst = 50;
        options.RateLimit.QueueLimit = 10;

        var result = new PartnerOptionsValidator<YcbOptions>("ycb").Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Partners:ycb:RateLimit:Burst is set but Permits is not", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Partners:ycb:RateLimit:QueueLimit is set but Permits is not", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Quota_WithOnlyPermits_TakesTheDocumentedDefaults()
    {
        var quota = new RateLimitOptions { Permits = 50 };

        Assert.True(quota.IsConfigured);
        Assert.Equal(TimeSpan.FromSeconds(1), quota.EffectivePeriod);
        Assert.Equal(50, quota.EffectiveBurst);
        Assert.Equal(200, quota.EffectiveQueueLimit);
        Assert.Equal((10, 10), PartnerQuota.PassThroughShare(quota));
        Assert.False(new RateLimitOptions().IsConfigured);
        Assert.Equal((0, 0), PartnerQuota.PassThroughShare(new RateLimitOptions()));
    }

    /// <summary>The partners feature alone, all three dialects enabled (nothing is called).</summary>
    internal static ServiceProvider AllPartners(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Partners:ycb:BaseUrl"] = "http://127.0.0.1:1",
            ["Partners:ycb:AppId"] = "app",
            ["Partners:ycb:AppSecret"] = "secret",
            ["Partners:prb:BaseUrl"] = "http://127.0.0.1:2",
            ["Partners:prb:Token"] = "token",
            ["Partners:silkpay:BaseUrl"] = "http://127.0.0.1:3",
            ["Partners:silkpay:SecretKey"] = "key",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Production" })
            .AddSingleton<GatewayMetrics>()
            .AddDiagnosis()
            .AddPartners(configuration);
        return services.BuildServiceProvider();
    }
}
