using System.Net;
using Gateway.Tests.Fixtures;
using Orchestration;

namespace Gateway.Tests.Recovery;

/// <summary>
/// The gateway as a real process (<c>dotnet Gateway.dll</c>, configured by environment variables
/// only, as an operator would run it), started with Orchestration's <see cref="ChildProcess"/>
/// so a test can kill it with SIGKILL, stop it with SIGTERM and read what it logged.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _logPath;

    private GatewayProcess(ChildProcess process, string url, string logPath)
    {
        _process = process;
        Url = url;
        _logPath = logPath;
    }

    public string Url { get; }

    /// <summary>The process id; an instance names itself <c>{machine}/{pid}/{guid}</c> in the leases it holds.</summary>
    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Set between <see cref="PauseAsync"/> and <see cref="ResumeAsync"/>: the process exists but runs nothing.</summary>
    public bool IsPaused { get; private set; }

    /// <summary>Running and not paused: it can answer a request.</summary>
    public bool IsLive => !HasExited && !IsPaused;

    /// <summary>The exit code once the process has ended (137 after SIGKILL); null while it runs.</summary>
    public int? ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var url = $"http://127.0.0.1:{ChildProcess.FreePort()}";
        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value ?? "");
        environment["ASPNETCORE_URLS"] = url;
        var logPath = Path.Combine(Directory.CreateTempSubdirectory("gateway-process-").FullName, "gateway.log");
        var process = ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Gateway.dll")], logPath,
            environment, AppContext.BaseDirectory);
        var gateway = new GatewayProcess(process, url, logPath);
        await gateway.WaitReadyAsync();
        return gateway;
    }

    public HttpClient ClientFor(string apiKey = GatewayFactory.KeyA)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as a crashed host or an OOM kill.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGSTOP: the process freezes mid-whatever, as in a long GC or VM pause; its timers and leases do not run.</summary>
    public async Task PauseAsync()
    {
        await _process.SignalAsync("STOP");
        IsPaused = true;
    }

    /// <summary>SIGCONT: the paused process carries on where it was, unaware of the time that passed.</summary>
    public async Task ResumeAsync()
    {
        await _process.SignalAsync("CONT");
        IsPaused = false;
    }

    /// <summary>SIGTERM: what an orchestrator sends to stop an instance gracefully (a deploy, a scale-down).</summary>
    public Task TerminateAsync() => _process.SignalAsync("TERM");

    /// <summary>Waits at most <paramref name="within"/> for the process to end; true when it has.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan within) => _process.WaitForExitAsync(within);

    private async Task WaitReadyAsync()
    {
        using var probe = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.HoldsAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the gateway exited at start:\n{Output}");
            }

            try
            {
                return (await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false; // Not listening yet.
            }
        }, $"the gateway was not ready within 30 s", TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
