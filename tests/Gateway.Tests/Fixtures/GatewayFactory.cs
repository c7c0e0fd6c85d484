using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// The real gateway host (Program) configured only through its contract keys, as an operator
/// would, pointing at a real Redis and a partner simulator.
/// </summary>
public sealed class GatewayFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public const string ClientA = "lender-a";
    public const string ClientB = "lender-b";
    public const string KeyA = "test-key-lender-a-0000000000";
    public const string KeyB = "test-key-lender-b-1111111111";

    /// <summary>An on-call engineer's key (<c>Auth:OpsKeys</c>): read-only diagnostics across every client.</summary>
    public const string OnCall = "on-call-1";
    public const string OpsKey = "test-ops-key-on-call-22222222";

    /// <summary>A state store operator's key (<c>Auth:OperatorKeys</c>): accepting a data loss, nothing else.</summary>
    public const string Operator = "operator-1";
    public const string OperatorKey = "test-operator-key-33333333333";

    public LogCapture Logs { get; } = new();

    /// <summary>An HTTP client sending <paramref name="apiKey"/>; <see cref="OpsClient"/> for the on-call key.</summary>
    public HttpClient ClientFor(string apiKey = KeyA)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    /// <summary>An HTTP client with the on-call key, as on-call reads <c>/v1/diagnostics</c>.</summary>
    public HttpClient OpsClient() => ClientFor(OpsKey);

    /// <summary>An HTTP client with the operator key, as an operator accepts a state store data loss.</summary>
    public HttpClient OperatorClient() => ClientFor(OperatorKey);

    /// <summary>An HTTP client with no key at all.</summary>
    public HttpClient AnonymousClient()
    {
        var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    /// <summary>The settings a typical test run uses: ycb only, short timeouts, breaker effectively off.</summary>
    public static Dictionary<string, string?> Settings(string redis, string ycbUrl) => new()
    {
        ["ConnectionStrings:Redis"] = redis,
        [$"Auth:ApiKeys:{ClientA}"] = KeyA,
        [$"Auth:ApiKeys:{ClientB}"] = KeyB,
        [$"Auth:OpsKeys:{OnCall}"] = OpsKey,
        [$"Auth:OperatorKeys:{Operator}"] = OperatorKey,
        // Tests poll diagnostics until a condition holds; the per-key rate has its own test (DiagnosticsRateLimitTests).
        ["Ops:DiagnosticsRateLimit:Permits"] = "100000",
        ["Ops:DiagnosticsRateLimit:Burst"] = "100000",
        ["Partners:ycb:BaseUrl"] = ycbUrl,
        ["Partners:ycb:AppId"] = "sandbox-ycb-app",
        ["Partners:ycb:AppSecret"] = "sandbox-ycb-secret-not-real",
        ["Partners:ycb:Timeout"] = "00:00:01",
        ["Partners:ycb:TotalTimeout"] = "00:00:05",
        ["Partners:ycb:RetryDelay"] = "00:00:00.050",
        ["Partners:ycb:InquiryGrace"] = "00:00:00.500",
        ["Partners:ycb:Breaker:MinimumThroughput"] = "10000",
        ["Payouts:SyncBudget"] = "00:00:08",
        ["Payouts:MaxInquiryInterval"] = "00:00:00.500",
        ["Routing:Order"] = "ycb",
        ["Payouts:IdSecret"] = Ids.Secret,
        ["Logging:Format"] = "text",
        ["Serilog:MinimumLevel:Default"] = "Information",
    };

    /// <summary>Adds the typical ycb settings (<see cref="Settings"/>) to another harness's, for two-partner routing.</summary>
    public static void AddYcb(Dictionary<string, string?> settings, string ycbUrl)
    {
        foreach (var (key, value) in Settings("unused", ycbUrl).Where(s => s.Key.StartsWith("Partners:ycb:", StringComparison.Ordinal)))
        {
            settings[key] = value;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(collection =>
        {
            collection.AddSingleton<ILogEventSink>(Logs);
            services?.Invoke(collection);
        });
    }
}
