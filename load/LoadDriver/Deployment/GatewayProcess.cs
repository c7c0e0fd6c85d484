using System.Diagnostics;
using Orchestration;

namespace LoadDriver.Deployment;

/// <summary>
/// One gateway process of a <see cref="LocalDeployment"/> (<c>dotnet Gateway.dll</c>) on its own
/// loopback port with its own log, as the sandbox's <c>GatewayInstance</c> (tools/Sandbox): it can be
/// killed (SIGKILL) and started again on the same port; each start writes a new log.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly string _dll;
    private readonly string _folder;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private ChildProcess? _process;
    private int _starts;

    public GatewayProcess(string name, string dll, string folder, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        _dll = Path.GetFullPath(dll);
        _folder = folder;
        Url = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}");
        _settings = new Dictionary<string, string>(settings) { ["ASPNETCORE_URLS"] = Url.ToString().TrimEnd('/') };
        LogPath = Path.Combine(folder, $"{name}.log");
    }

    /// <summary><c>gateway</c> for a single instance, <c>gateway-1</c>, <c>gateway-2</c>, ... for several.</summary>
    public string Name { get; }

    public Uri Url { get; }

    /// <summary>The log of the first start (<c>&lt;name&gt;.log</c>); later starts write <c>&lt;name&gt;.2.log</c>, ...</summary>
    public string LogPath { get; }

    /// <summary>The process id while it runs (to tell the operator which process is whose), else null.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts the gateway (again) on its port, unless running.</summary>
    public void Start()
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        var log = _starts++ == 0 ? LogPath : Path.Combine(_folder, $"{Name}.{_starts}.log");
        _process = ChildProcess.Start("dotnet", [_dll], log, _settings, Path.GetDirectoryName(_dll));
    }

    /// <summary>Waits (at most 60 s) for <c>/health/ready</c>; throws naming the instance and its log otherwise.</summary>
    public async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ReadyTimeout)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited during start-up; see {LogPath}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow to answer while starting.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"{Name} did not become ready within {ReadyTimeout.TotalSeconds:0} s; see {LogPath}.");
    }

    /// <summary>SIGKILL: executions in flight stop where they are.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public ValueTask DisposeAsync() => new(KillAsync());
}
