using Orchestration;

namespace Sandbox;

/// <summary>One gateway of the sandbox: its short name (gw1, gw2, ...), its process, and clients with the lender's and the on-call key.</summary>
internal sealed class GatewayInstance : IAsyncDisposable
{
    public GatewayInstance(string name, GatewayProcess process)
    {
        Name = name;
        Process = process;
        Lender = Client(process.Url, GatewaySettings.ClientKey);
        OnCall = Client(process.Url, GatewaySettings.OnCallKey);
    }

    public string Name { get; }
    public GatewayProcess Process { get; }
    public string Url => Process.BaseUrl;
    public string LogPath => Process.LogPath;

    /// <summary>Calls with the lender's API key (submit, read).</summary>
    public HttpClient Lender { get; }

    /// <summary>Calls with the on-call key (diagnostics).</summary>
    public HttpClient OnCall { get; }

    public async ValueTask DisposeAsync()
    {
        Lender.Dispose();
        OnCall.Dispose();
        await Process.DisposeAsync();
    }

    private static HttpClient Client(Uri url, string key)
    {
        var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return http;
    }
}
