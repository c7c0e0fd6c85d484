using System.Text;
using Gateway.Partners;
using Gateway.Partners.Ycb;
using Gateway.Diagnosis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Gateway.Benchmarks;

/// <summary>The typical request and the objects the benchmarks share.</summary>
internal static class Samples
{
    public const string Body =
        """{"loanId":"LN-2026-000123","amount":"5000.00","currency":"CNY","beneficiary":{"name":"张三","accountNumber":"6222020200112233445","bankCode":"ICBC"},"partner":"ycb"}""";

    public static readonly byte[] BodyBytes = Encoding.UTF8.GetBytes(Body);

    public const string Client = "lender-a";

    public const string IdempotencyKey = "5f0c7a3e-8d2b-4c1e-9a6f-3b2d1e0f4a5c";

    public const string IdSecret = "benchmark-payout-id-secret-at-least-32-characters";

    public static YcbOptions Ycb { get; } = new()
    {
        BaseUrl = new Uri("http://127.0.0.1:1/"),
        AppId = "gateway-bench",
        AppSecret = "benchmark-ycb-app-secret",
    };

    /// <summary>A registry with ycb enabled, its code table beside the binary (Partners/Ycb/ycb-codes.json), built as the gateway builds it.</summary>
    public static PartnerRegistry Partners() => Services().GetRequiredService<PartnerRegistry>();

    private static ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Partners:ycb:BaseUrl"] = Ycb.BaseUrl!.ToString(),
            ["Partners:ycb:AppId"] = Ycb.AppId,
            ["Partners:ycb:AppSecret"] = Ycb.AppSecret,
        }).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Development" })
            .AddSingleton<Gateway.Partners.GatewayMetrics>()
            .AddDiagnosis()
            .AddPartners(configuration)
            .BuildServiceProvider();
    }
}
