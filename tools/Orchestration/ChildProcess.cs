using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orchestration;

/// <summary>
/// A child process (redis-server, the gateway) of the sandbox, the load suite or the chaos suite,
/// its output written to a log file, stopped when its owner ends.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter? _log;

    private ChildProcess(Process process, StreamWriter? log)
    {
        _process = process;
        _log = log;
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>The exit code once the process has ended (128 + the signal for a process a signal killed); null while it runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static ChildProcess Start(string file, IEnumerable<string> arguments, string? logPath,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var log = logPath is null ? null : new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, log);
    }

    private static void Write(StreamWriter? log, string? line)
    {
        if (line is null || log is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>Ends the process at once (SIGKILL on Linux: no clean shutdown) and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Sends a POSIX signal by name (<c>STOP</c>, <c>CONT</c>, <c>TERM</c>, ...) through <c>kill -s</c>,
    /// as an orchestrator or a frozen VM would: STOP freezes the process without it noticing,
    /// CONT resumes it, TERM asks it to shut down.
    /// </summary>
    public async Task SignalAsync(string signal)
    {
        var info = new ProcessStartInfo(Which("kill")) { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-s");
        info.ArgumentList.Add(signal);
        info.ArgumentList.Add(Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(info) ?? throw new InvalidOperationException("kill did not start");
        var error = await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -s {signal} {Id} failed ({kill.ExitCode}): {error}");
        }
    }

    /// <summary>Waits at most <paramref name="within"/> for the process to end; true when it has.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();

        _process.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    /// <summary>A free loopback port for a process or simulator to listen on (<see cref="FreePorts"/>).</summary>
    public static int FreePort() => FreePorts.Next();

    public static string Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} is not installed (the ./sandbox script installs redis-server).");
}
