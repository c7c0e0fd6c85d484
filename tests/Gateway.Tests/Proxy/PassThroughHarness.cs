using System.Net;
using System.Net.Http.Headers;
using Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Simulators.Prb;
using Simulators.SilkPay;
using Simulators.Ycb;

namespace Gateway.Tests.Proxy;

/// <summary>
/// The real gateway on a real loopback port (Kestrel, so request targets reach it exactly as
/// written, as they do in production) in front of the simulators of all three partners, shared by
/// one test class. The simulators start with the class, the gateway on first use.
/// </summary>
public class PassThroughHarness : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private KestrelGateway? _gateway;

    public YcbSimulator Ycb { get; private set; } = null!;
    public PrbSimulator Prb { get; private set; } = null!;
    public SilkPaySimulator SilkPay { get; private set; } = null!;

    public KestrelGateway Gateway(RedisFixture redis)
    {
        lock (_gate)
        {
            if (_gateway is null)
            {
                var settings = PrbHarness.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), Prb.Url);
                foreach (var (key, value) in SilkPayHarness.Settings("unused", SilkPay.Url)
                    .Concat(GatewayFactory.Settings("unused", Ycb.Url))
                    .Where(s => s.Key.StartsWith("Partners:", StringComparison.Ordinal)))
                {
                    settings[key] = value;
                }

                settings["Routing:Order"] = "ycb,prb,silkpay";
                Configure(settings);
                _gateway = new KestrelGateway(settings);
                _gateway.StartServer();
            }

            return _gateway;
        }
    }

    /// <summary>A test class's own settings on top of the harness's.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    /// <summary>What reached any of the three partners apart from health probes: (ycb, prb, silkpay).</summary>
    public (int Ycb, int Prb, int SilkPay) CallsReceived() => (Ycb.ReceivedCalls.Count, Prb.ReceivedCalls.Count, SilkPay.Received.Count);

    public Task InitializeAsync()
    {
        Ycb = YcbSimulator.Start(new YcbSimulatorOptions { SettleAfter = TimeSpan.FromMilliseconds(600) });
        Prb = PrbSimulator.Start(new PrbSimulatorOptions { Token = PrbHarness.Token, SettleAfter = TimeSpan.FromMilliseconds(600) });
        SilkPay = SilkPaySimulator.Start(new SilkPaySimulatorOptions { SecretKey = SilkPayHarness.SecretKey });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        Ycb.Dispose();
        Prb.Dispose();
        SilkPay.Dispose();
    }
}

/// <summary>The gateway host (Program) served by Kestrel on a free loopback port, configured through its contract keys.</summary>
public sealed class KestrelGateway : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public KestrelGateway(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public LogCapture Logs { get; } = new();

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Url => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public HttpClient ClientFor(string apiKey = GatewayFactory.KeyA)
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(Logs));
    }
}
