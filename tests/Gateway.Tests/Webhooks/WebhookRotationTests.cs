using System.Collections.Concurrent;
using Gateway.Hosting;
using Gateway.Tests.Fixtures;
using Gateway.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// Secret and endpoint rotation without a restart: the endpoints follow configuration reloads — a secret
/// file in <c>Secrets:Directory</c> rewritten (the provider the gateway itself adds) or any provider reloaded —
/// so the next delivery is signed with the new secret and not the old; an invalid new configuration is
/// refused whole, logged with the setting it breaks, and the previous endpoints stay.
/// </summary>
public sealed class WebhookRotationTests : IDisposable
{
    private const string OldSecret = "whsec_old_0123456789abcdef";
    private const string NewSecret = "whsec_new_0123456789abcdef";
    private const string SecretFile = "Webhooks__lender__Secret";

    private readonly WebhookReceiver _receiver = new();
    private readonly WebhookReceiver _other = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private readonly string _folder = Directory.CreateTempSubdirectory("gw-secrets-").FullName;
    private readonly ListLogger _log = new();

    public void Dispose()
    {
        _receiver.Dispose();
        _other.Dispose();
        _services.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ASecretFileRewritten_SignsTheNextDeliveryWithTheNewSecret_AShortOneIsRefused()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, SecretFile), OldSecret);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Auth:ApiKeys:lender"] = "lender-key-0123456789",
                ["Webhooks:lender:Url"] = _receiver.Url,
            })
            .AddSecretFiles(_folder)
            .Build();
        var endpoints = WebhookEndpoints.Following(configuration, _log);
        var delivery = Delivery();

        await SendAsync(delivery, endpoints);
        Assert.True(_receiver.Deliveries.Last().Verifies(OldSecret));

        await File.WriteAllTextAsync(Path.Combine(_folder, SecretFile), NewSecret);
        // Polled every 4 s, then a 250 ms debounce.
        await Eventually.HoldsAsync(() => endpoints.Find("lender", "default")?.Secret == NewSecret, "the new secret loaded", TimeSpan.FromSeconds(15));
        await SendAsync(delivery, endpoints);
        var signed = _receiver.Deliveries.Last();
        Assert.True(signed.Verifies(NewSecret));
        Assert.False(signed.Verifies(OldSecret));

        await File.WriteAllTextAsync(Path.Combine(_folder, SecretFile), "short");
        await Eventually.HoldsAsync(() => _log.Errors.Any(e => e.Contains("Webhooks:lender:Secret must be at least 16 characters", StringComparison.Ordinal)),
            "the short secret refused, naming the setting", TimeSpan.FromSeconds(15));
        Assert.Equal(NewSecret, endpoints.Find("lender", "default")?.Secret);
        await SendAsync(delivery, endpoints);
        Assert.True(_receiver.Deliveries.Last().Verifies(NewSecret));
        // The errors name settings, never values.
        Assert.DoesNotContain(_log.Errors, e => e.Contains(NewSecret, StringComparison.Ordinal) || e.Contains("\"short\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AProviderReload_MovesTheUrl_AnInvalidUrlIsRefused_TheEndpointsStay()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:lender"] = "lender-key-0123456789",
            ["Webhooks:lender:Url"] = _receiver.Url,
            ["Webhooks:lender:Secret"] = OldSecret,
        }).Build();
        var endpoints = WebhookEndpoints.Following(configuration, _log);
        var delivery = Delivery();

        configuration["Webhooks:lender:Url"] = _other.Url;
        configuration.Reload();
        await SendAsync(delivery, endpoints);
        Assert.Single(_other.Deliveries);
        Assert.Empty(_receiver.Deliveries);

        configuration["Webhooks:lender:Url"] = "ftp://elsewhere.example/hook";
        configuration["Webhooks:lender:Secret"] = "";
        configuration.Reload();
        Assert.Contains(_log.Errors, e => e.Contains("Webhooks:lender:Url must be an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Contains(_log.Errors, e => e.Contains("Webhooks:lender:Secret must be at least 16 characters", StringComparison.Ordinal));
        var kept = endpoints.Find("lender", "default");
        Assert.Equal(new Uri(_other.Url), kept?.Url);
        Assert.Equal(OldSecret, kept?.Secret);
    }

    private WebhookDelivery Delivery() => new(_services.GetRequiredService<IHttpClientFactory>(),
        Options.Create(new WebhookDeliveryOptions { AttemptTimeout = TimeSpan.FromSeconds(5), BreakerMinimumThroughput = 1000 }), TimeProvider.System);

    private static async Task SendAsync(WebhookDelivery delivery, WebhookEndpoints endpoints)
    {
        // What the dispatcher does for each delivery: the endpoint as configured now.
        var endpoint = endpoints.Find("lender", "default") ?? throw new InvalidOperationException("no endpoint");
        Assert.Equal(DeliveryOutcome.Delivered, (await delivery.SendAsync(endpoint, "{\"id\":\"evt_rotation\"}", CancellationToken.None)).Outcome);
    }

    private sealed class ListLogger : ILogger<WebhookEndpoints>
    {
        private readonly ConcurrentQueue<string> _errors = new();

        public IReadOnlyList<string> Errors => [.. _errors];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                _errors.Enqueue(formatter(state, exception));
            }
        }
    }
}
