using System.Diagnostics;
using Orchestration;

namespace Sandbox;

/// <summary>One gateway process of the sandbox: its name (gw1, gw2, ...), URL, log, and clients with the lender's and the on-call key.</summary>
internal sealed class GatewayInstance : IAsyncDisposable
{
    public GatewayInstance(string name, string url, string logPath, ChildProcess process, string apiKey, string opsKey)
    {
        Name = name;
        Url = url;
        LogPath = logPath;
        Process = process;
        Lender = Client(url, apiKey);
        OnCall = Client(url, opsKey);
    }

    public string Name { get; }
    public string Url { get; }
    public string LogPath { get; }
    public ChildProcess Process { get; }

    /// <summary>Calls with the lender's API key (submit, read).</summary>
    public HttpClient Lender { get; }

    /// <summary>Calls with the on-call key (diagnostics).</summary>
    public HttpClient OnCall { get; }

    /// <summary>Waits, at most <paramref name="within"/>, for <c>/health/ready</c>; throws naming the instance and its log otherwise.</summary>
    public async Task WaitReadyAsync(TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited during start-up (exit code {Process.ExitCode}); see {LogPath}.");
            }

            try
            {
                if ((await Lender.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} did not become ready within {within.TotalSeconds:0} s; see {LogPath}.");
    }

    /// <summary>The distinct log lines that contain any of <paramref name="words"/> (at most <paramref name="limit"/>), for explaining a failure.</summary>
    public IEnumerable<string> LogLines(IReadOnlyList<string> words, int limit = 3)
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n')
            .Where(line => words.Any(w => line.Contains(w, StringComparison.OrdinalIgnoreCase)))
            .Select(line => line.Trim())
            .Distinct()
            .Take(limit)
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Lender.Dispose();
        OnCall.Dispose();
        await Process.DisposeAsync();
    }

    private static HttpClient Client(string url, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return http;
    }
}
