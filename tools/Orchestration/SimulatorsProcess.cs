using System.Diagnostics;
using System.Globalization;

namespace Orchestration;

/// <summary>
/// One partner simulator as its own process (<c>dotnet Simulators.dll --only &lt;partner&gt;</c>, tools/Simulators)
/// on a free loopback port, with its log: it can be frozen and thawed (SIGSTOP/SIGCONT) alone, as a partner
/// whose host pauses, and killed. Its control API (<c>/__sim/behaviours</c>, <c>/__sim/ledger</c>) is on <see cref="Url"/>.
/// </summary>
public sealed class SimulatorsProcess : IAsyncDisposable
{
    /// <summary>The partners a process can hold, as <c>--only</c> names them.</summary>
    public static readonly IReadOnlyList<string> Partners = ["ycb", "prb", "silkpay"];

    private readonly ChildProcess _process;

    private SimulatorsProcess(string partner, Uri url, string logPath, ChildProcess process)
    {
        Partner = partner;
        Url = url;
        LogPath = logPath;
        _process = process;
    }

    /// <summary><c>ycb</c>, <c>prb</c> or <c>silkpay</c>.</summary>
    public string Partner { get; }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Url { get; }

    /// <summary><see cref="Url"/> without the trailing slash.</summary>
    public string BaseUrl => Url.ToString().TrimEnd('/');

    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Set between <see cref="FreezeAsync"/> and <see cref="ThawAsync"/>.</summary>
    public bool IsFrozen { get; private set; }

    /// <summary>
    /// Starts simulator <paramref name="partner"/> of <paramref name="dll"/> on a free loopback port, its log
    /// <c>simulator-&lt;partner&gt;.log</c> in <paramref name="folder"/>, with the given slow and settle times,
    /// and waits (at most <paramref name="within"/>, default 30 s) until its ledger answers.
    /// </summary>
    public static async Task<SimulatorsProcess> StartAsync(string dll, string partner, string folder, TimeSpan slowDelay, TimeSpan settleAfter,
        TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        if (!Partners.Contains(partner))
        {
            throw new ArgumentException($"'{partner}' is not one of {string.Join(", ", Partners)}.", nameof(partner));
        }

        var port = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        var fullDll = Path.GetFullPath(dll);
        var log = Path.Combine(folder, $"simulator-{partner}.log");
        var process = ChildProcess.Start("dotnet",
            [fullDll, "--only", partner, $"--{partner}-port", port, "--bind", "127.0.0.1",
                "--slow-delay-ms", Milliseconds(slowDelay), "--settle-after-ms", Milliseconds(settleAfter)],
            log, workingDirectory: Path.GetDirectoryName(fullDll));
        var simulator = new SimulatorsProcess(partner, new Uri($"http://127.0.0.1:{port}"), log, process);
        try
        {
            await simulator.WaitReadyAsync(within ?? TimeSpan.FromSeconds(30), cancellationToken);
            return simulator;
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGSTOP: the simulator freezes; connections are still accepted by the kernel, nothing is answered.</summary>
    public async Task FreezeAsync()
    {
        await _process.SignalAsync("STOP");
        IsFrozen = true;
    }

    /// <summary>SIGCONT: the simulator carries on, answering what queued meanwhile.</summary>
    public async Task ThawAsync()
    {
        await _process.SignalAsync("CONT");
        IsFrozen = false;
    }

    /// <summary>SIGKILL.</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        if (IsFrozen && !_process.HasExited)
        {
            // A stopped process still dies of SIGKILL; thawing first only lets it go quietly.
            await _process.SignalAsync("CONT");
        }

        await _process.DisposeAsync();
    }

    private async Task WaitReadyAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the {Partner} simulator exited at start (exit code {_process.ExitCode}); see {LogPath}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/__sim/ledger", UriKind.Relative), cancellationToken);
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

            if (clock.Elapsed > within)
            {
                throw new TimeoutException($"the {Partner} simulator did not answer within {within.TotalSeconds:0} s; see {LogPath}.");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static string Milliseconds(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
