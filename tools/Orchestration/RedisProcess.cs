using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestration;

/// <summary>
/// A real redis-server on a loopback port with AOF (appendfsync always) in its own folder.
/// <see cref="KillAsync"/> ends it with SIGKILL, as a crash would; <see cref="StartAsync"/> brings
/// it back on the same port with the same folder, so it reloads what it had acknowledged.
/// </summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);

    private readonly string _directory;
    private readonly IReadOnlyList<string> _extraArguments;
    private ChildProcess? _process;
    private int _starts;

    private RedisProcess(string directory, int port, IReadOnlyList<string> extraArguments)
    {
        _directory = directory;
        _extraArguments = extraArguments;
        LogPath = Path.Combine(directory, "redis.log");
        Port = port;
    }

    public int Port { get; }

    /// <summary>e.g. <c>127.0.0.1:6379</c>, the form <c>ConnectionStrings:Redis</c> takes.</summary>
    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Set between <see cref="FreezeAsync"/> and <see cref="ThawAsync"/>: the server exists but answers nothing.</summary>
    public bool IsFrozen { get; private set; }

    /// <summary>The log of the latest start (<c>redis.log</c>, then <c>redis.2.log</c>, ... after restarts).</summary>
    public string LogPath { get; private set; }

    /// <summary>
    /// Starts a server in <paramref name="directory"/> on a free port and waits until it answers
    /// PING; <paramref name="extraArguments"/> are further redis-server options (e.g. <c>--databases 64</c>).
    /// </summary>
    public static async Task<RedisProcess> StartNewAsync(string directory, IReadOnlyList<string>? extraArguments = null,
        CancellationToken cancellationToken = default)
    {
        var redis = new RedisProcess(directory, ChildProcess.FreePort(), extraArguments ?? []);
        await redis.StartAsync(cancellationToken);
        return redis;
    }

    /// <summary>Starts (or restarts) the server on its port and waits until it answers PING (AOF loaded).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => StartAsync([], cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(CancellationToken)"/>, with <paramref name="moreArguments"/> after the
    /// server's own for this start only (e.g. <c>--replicaof 127.0.0.1 &lt;port&gt;</c> to bring an old
    /// primary back as a replica, never as a second primary).
    /// </summary>
    public async Task StartAsync(IReadOnlyList<string> moreArguments, CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        var log = _starts++ == 0 ? LogPath : Path.Combine(_directory, $"redis.{_starts}.log");
        LogPath = log;
        _process = ChildProcess.Start(ChildProcess.Which("redis-server"),
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory,
            "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
            .. _extraArguments,
            .. moreArguments,
        ], log, workingDirectory: _directory);
        await WaitReadyAsync(cancellationToken);
    }

    /// <summary>SIGSTOP: the server freezes (as in a VM pause); clients' connections stay open but get no answer.</summary>
    public async Task FreezeAsync()
    {
        await Running.SignalAsync("STOP");
        IsFrozen = true;
    }

    /// <summary>SIGCONT: the frozen server carries on and answers what queued meanwhile.</summary>
    public async Task ThawAsync()
    {
        await Running.SignalAsync("CONT");
        IsFrozen = false;
    }

    /// <summary>SIGKILL: no shutdown, no final fsync beyond what appendfsync always already did.</summary>
    public async Task KillAsync()
    {
        IsFrozen = false;
        if (_process is not null)
        {
            await _process.KillAsync();
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private ChildProcess Running => _process is { HasExited: false } p ? p : throw new InvalidOperationException($"redis-server {Endpoint} is not running.");

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited during start-up; see {LogPath}.");
            }

            if (await AnswersPingAsync(cancellationToken))
            {
                return;
            }

            if (clock.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException($"redis-server did not answer PING within {ReadyTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>PING over plain RESP: +PONG once the data set is loaded (-LOADING before).</summary>
    private async Task<bool> AnswersPingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
