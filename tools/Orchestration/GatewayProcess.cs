using System.Diagnostics;
using System.Globalization;

namespace Orchestration;

/// <summary>
/// One gateway as a real process (<c>dotnet Gateway.dll</c>, configured by environment variables
/// only, as an operator runs it) on its own free loopback port with its own log: the one launcher
/// of the sandbox, the load and chaos suites and the tests. It can be killed (SIGKILL), stopped
/// (SIGTERM), frozen and thawed (SIGSTOP/SIGCONT) and started again on the same port; each start
/// writes a new log (<c>&lt;name&gt;.log</c>, then <c>&lt;name&gt;.2.log</c>, ...).
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    /// <summary>How long <see cref="WaitReadyAsync"/> waits for <c>/health/ready</c> unless told otherwise.</summary>
    public static readonly TimeSpan DefaultReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly string _dll;
    private readonly string _folder;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private ChildProcess? _process;
    private int _starts;

    /// <summary>
    /// A gateway named <paramref name="name"/> (the log's name too) that will run <paramref name="dll"/>
    /// with <paramref name="environment"/> (<c>Section__Key</c> variables, e.g. from <see cref="GatewaySettings"/>)
    /// and write its logs to <paramref name="folder"/>. Nothing runs until <see cref="Start"/>.
    /// </summary>
    public GatewayProcess(string dll, IReadOnlyDictionary<string, string> environment, string folder, string name = "gateway")
    {
        ArgumentNullException.ThrowIfNull(environment);
        Name = name;
        _dll = Path.GetFullPath(dll);
        _folder = folder;
        Url = new Uri($"http://127.0.0.1:{ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture)}");
        _environment = new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = BaseUrl };
        LogPath = Path.Combine(folder, $"{name}.log");
    }

    /// <summary>e.g. <c>gateway</c>, <c>gateway-1</c>, <c>gw2</c>: how messages and logs name this instance.</summary>
    public string Name { get; }

    public Uri Url { get; }

    /// <summary><see cref="Url"/> without the trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl => Url.ToString().TrimEnd('/');

    /// <summary>The log of the latest start.</summary>
    public string LogPath { get; private set; }

    /// <summary>The process id while it runs, else null.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>The process id of the latest start (it runs or ran); an instance names itself <c>{machine}/{pid}/{guid}</c> in its leases.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException($"{Name} has not been started.");

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>Set between <see cref="FreezeAsync"/> and <see cref="ThawAsync"/>: the process exists but runs nothing.</summary>
    public bool IsFrozen { get; private set; }

    /// <summary>Running and not frozen: it can answer a request.</summary>
    public bool IsLive => !HasExited && !IsFrozen;

    /// <summary>The exit code once the process has ended (137 after SIGKILL); null while it runs.</summary>
    public int? ExitCode => _process?.ExitCode;

    /// <summary>Everything the latest start wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            if (!File.Exists(LogPath))
            {
                return "";
            }

            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    /// <summary>Creates a gateway in <paramref name="folder"/>, starts it and waits for <c>/health/ready</c>.</summary>
    public static async Task<GatewayProcess> StartAsync(string dll, IReadOnlyDictionary<string, string> environment, string folder,
        string name = "gateway", TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        var gateway = new GatewayProcess(dll, environment, folder, name);
        try
        {
            gateway.Start();
            await gateway.WaitReadyAsync(within, cancellationToken);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the gateway (again) on its port, unless it runs; does not wait for readiness.</summary>
    public void Start()
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        var log = _starts++ == 0 ? Path.Combine(_folder, $"{Name}.log") : Path.Combine(_folder, $"{Name}.{_starts.ToString(CultureInfo.InvariantCulture)}.log");
        LogPath = log;
        IsFrozen = false;
        _process?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _process = ChildProcess.Start("dotnet", [_dll], log, _environment, Path.GetDirectoryName(_dll));
    }

    /// <summary>
    /// Waits, at most <paramref name="within"/> (default <see cref="DefaultReadyTimeout"/>), for
    /// <c>/health/ready</c>; throws an <see cref="InvalidOperationException"/> with the log when the
    /// process exits meanwhile ("the gateway exited at start"), a <see cref="TimeoutException"/> otherwise.
    /// </summary>
    public async Task WaitReadyAsync(TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        var limit = within ?? DefaultReadyTimeout;
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process is null || _process.HasExited)
            {
                // The exit flushes the output asynchronously: give the log a moment to receive the last lines.
                await Task.Delay(200, cancellationToken);
                throw new InvalidOperationException($"the gateway exited at start ({Name}, exit code {_process?.ExitCode}; log {LogPath}):{Environment.NewLine}{Output}");
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

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"{Name} did not become ready within {limit.TotalSeconds:0} s; see {LogPath}.");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Kills the gateway if it runs, starts it again on the same port and waits for <c>/health/ready</c>.</summary>
    public async Task RestartAsync(TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        await KillAsync();
        Start();
        await WaitReadyAsync(within, cancellationToken);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as a crashed host or an OOM kill; executions in flight stop where they are.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
            IsFrozen = false;
        }
    }

    /// <summary>SIGTERM without waiting: what an orchestrator sends to stop an instance gracefully (a deploy, a scale-down).</summary>
    public Task TerminateAsync() => Running.SignalAsync("TERM");

    /// <summary>SIGTERM, then waits at most <paramref name="within"/> for the process to end; true when it has.</summary>
    public async Task<bool> StopAsync(TimeSpan within)
    {
        if (HasExited)
        {
            return true;
        }

        if (IsFrozen)
        {
            await ThawAsync();
        }

        await TerminateAsync();
        return await WaitForExitAsync(within);
    }

    /// <summary>SIGSTOP: the process freezes mid-whatever, as in a long GC or VM pause; its timers and leases do not run.</summary>
    public async Task FreezeAsync()
    {
        await Running.SignalAsync("STOP");
        IsFrozen = true;
    }

    /// <summary>SIGCONT: the frozen process carries on where it was, unaware of the time that passed.</summary>
    public async Task ThawAsync()
    {
        await Running.SignalAsync("CONT");
        IsFrozen = false;
    }

    /// <summary>Waits at most <paramref name="within"/> for the process to end; true when it has.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan within) => _process is null ? Task.FromResult(true) : _process.WaitForExitAsync(within);

    /// <summary>The distinct log lines that contain any of <paramref name="words"/> (at most <paramref name="limit"/>), for explaining a failure.</summary>
    public IReadOnlyList<string> LogLines(IReadOnlyList<string> words, int limit = 3) =>
        Output.Split('\n')
            .Where(line => words.Any(w => line.Contains(w, StringComparison.OrdinalIgnoreCase)))
            .Select(line => line.Trim())
            .Distinct()
            .Take(limit)
            .ToList();

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private ChildProcess Running => _process is { HasExited: false } p ? p : throw new InvalidOperationException($"{Name} is not running.");
}
