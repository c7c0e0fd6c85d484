using Orchestration;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// The gateway as a real process for tests: Orchestration's <see cref="GatewayProcess"/> (the one
/// launcher of the sandbox, the load and chaos suites and the tests) running the Gateway.dll built
/// beside the tests, configured by the tests' settings (<c>Section:Key</c>, as <see cref="GatewayFactory"/>
/// gives them) as environment variables, with its log in a temporary folder.
/// </summary>
public static class GatewayProcesses
{
    /// <summary>How long a test gateway may take to become ready.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Starts a gateway with <paramref name="settings"/> and waits for <c>/health/ready</c>; an
    /// <see cref="InvalidOperationException"/> ("the gateway exited at start", with its output) when it exits instead.
    /// </summary>
    public static Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string?> settings) =>
        GatewayProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"), GatewaySettings.FromConfiguration(settings),
            Directory.CreateTempSubdirectory("gateway-process-").FullName, within: ReadyTimeout);

    /// <summary>A client of the process with <paramref name="apiKey"/> (client A's by default).</summary>
    public static HttpClient ClientFor(this GatewayProcess gateway, string apiKey = GatewayFactory.KeyA)
    {
        var client = new HttpClient { BaseAddress = gateway.Url, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }
}
