using System.Diagnostics;
using System.Globalization;

namespace Orchestration;

/// <summary>
/// <c>redis-cli</c> run to completion, bounded in time, for what a topology needs before any
/// client connects: <c>--cluster create</c>, <c>CLUSTER INFO</c>, <c>INFO replication</c>, <c>REPLICAOF</c>.
/// </summary>
public static class RedisCli
{
    /// <summary>How long one command may take unless told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <c>redis-cli</c> with <paramref name="arguments"/> and returns its standard output;
    /// throws, with what it printed, when it exits non-zero or runs past <paramref name="timeout"/>
    /// (it is then killed).
    /// </summary>
    public static async Task<string> RunAsync(IReadOnlyList<string> arguments, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(ChildProcess.Which("redis-cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("redis-cli did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException(
                $"redis-cli {string.Join(' ', arguments)} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:0} s: {await output}{await error}");
        }

        var text = await output;
        return process.ExitCode == 0
            ? text
            : throw new InvalidOperationException($"redis-cli {string.Join(' ', arguments)} failed ({process.ExitCode}): {text}{await error}");
    }

    /// <summary>One command to the node on 127.0.0.1:<paramref name="port"/>, e.g. <c>CLUSTER INFO</c>.</summary>
    public static Task<string> CommandAsync(int port, IReadOnlyList<string> command, CancellationToken cancellationToken = default) =>
        RunAsync(["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. command], cancellationToken: cancellationToken);

    /// <summary>A field of an INFO-style answer (<c>name:value</c> lines), e.g. <c>cluster_state</c>; null when absent.</summary>
    public static string? Field(string info, string name) =>
        info.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.StartsWith(name + ":", StringComparison.Ordinal))
            .Select(line => line[(name.Length + 1)..])
            .FirstOrDefault();

    /// <summary>
    /// Asks <paramref name="probe"/> every 100 ms until it yields null (done), for at most
    /// <paramref name="within"/>; otherwise throws a <see cref="TimeoutException"/> with the last
    /// thing it yielded (why it is not done) and <paramref name="context"/>.
    /// </summary>
    public static async Task WaitUntilAsync(Func<Task<string?>> probe, TimeSpan within, Func<string> context,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string? notYet;
            try
            {
                notYet = await probe();
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                notYet = ex.Message;
            }

            if (notYet is null)
            {
                return;
            }

            if (clock.Elapsed > within)
            {
                throw new TimeoutException($"Not ready within {within.TotalSeconds:0} s: {notYet}{Environment.NewLine}{context()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of each log, headed by its path, for error messages.</summary>
    public static string Tails(IEnumerable<string> logPaths, int lines = 15) =>
        string.Join(Environment.NewLine, logPaths.Select(path =>
            $"--- {path} ---{Environment.NewLine}{(File.Exists(path) ? string.Join(Environment.NewLine, ReadShared(path).TakeLast(lines)) : "(no log)")}"));

    private static string[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n');
    }
}
