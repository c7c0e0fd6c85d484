using System.Globalization;

namespace Orchestration;

/// <summary>
/// A real three-primary Redis Cluster on loopback: three <see cref="RedisProcess"/> nodes
/// (cluster mode, AOF, node timeout 2 s), each in its own folder with its own <c>nodes.conf</c>,
/// joined by <c>redis-cli --cluster create ... --cluster-replicas 0</c> so every node owns a third
/// of the 16384 slots. A cluster has database 0 only: share it by key prefix, not by database.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    /// <summary>How long forming the cluster may take unless told otherwise.</summary>
    public static readonly TimeSpan DefaultFormTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly bool _ownsDirectory;
    private readonly List<RedisProcess> _nodes = [];

    private RedisCluster(string directory, bool ownsDirectory)
    {
        _directory = directory;
        _ownsDirectory = ownsDirectory;
    }

    /// <summary>The three nodes (all primaries once formed), for per-node commands, kills and restarts.</summary>
    public IReadOnlyList<RedisProcess> Nodes => _nodes;

    /// <summary>
    /// All three endpoints, the StackExchange.Redis form (<c>127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3</c>);
    /// append options such as <c>,abortConnect=false</c> as needed.
    /// </summary>
    public string ConnectionString => string.Join(',', _nodes.Select(n => n.Endpoint));

    /// <summary>
    /// Starts the three nodes, creates the cluster and waits until every node reports
    /// <c>cluster_state:ok</c>. <paramref name="directory"/> holds the nodes' folders; when null a
    /// temporary folder is made and removed on dispose (a folder given is left with its logs).
    /// </summary>
    public static async Task<RedisCluster> StartAsync(string? directory = null, TimeSpan? within = null,
        CancellationToken cancellationToken = default)
    {
        var cluster = new RedisCluster(directory ?? System.IO.Directory.CreateTempSubdirectory("redis-cluster-").FullName, directory is null);
        try
        {
            await cluster.FormAsync(within ?? DefaultFormTimeout, cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>CLUSTER INFO</c> of one node, as text (<c>cluster_state:ok</c>, <c>cluster_slots_assigned:16384</c>, ...).</summary>
    public static Task<string> ClusterInfoAsync(RedisProcess node, CancellationToken cancellationToken = default) =>
        RedisCli.CommandAsync(node.Port, ["CLUSTER", "INFO"], cancellationToken);

    /// <summary>Waits, at most <paramref name="within"/>, until every running node reports <c>cluster_state:ok</c>.</summary>
    public Task WaitUntilOkAsync(TimeSpan within, CancellationToken cancellationToken = default) =>
        RedisCli.WaitUntilAsync(async () =>
        {
            foreach (var node in _nodes.Where(n => n.IsRunning))
            {
                var state = RedisCli.Field(await ClusterInfoAsync(node, cancellationToken), "cluster_state");
                if (state != "ok")
                {
                    return $"node {node.Endpoint} reports cluster_state:{state ?? "?"}";
                }
            }

            return null;
        }, within, Logs, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        if (_ownsDirectory)
        {
            try
            {
                System.IO.Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }

    private async Task FormAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + within;
        var started = await Task.WhenAll(Enumerable.Range(1, 3).Select(i =>
        {
            var folder = System.IO.Directory.CreateDirectory(Path.Combine(_directory, $"node-{i}")).FullName;
            // The bus port is chosen too: the default (port + 10000) may not exist for a high free port.
            return RedisProcess.StartNewAsync(folder,
            [
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
                "--cluster-port", ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ], cancellationToken);
        }));
        _nodes.AddRange(started);

        try
        {
            await RedisCli.RunAsync(
                ["--cluster", "create", .. _nodes.Select(n => n.Endpoint), "--cluster-replicas", "0", "--cluster-yes"],
                Remaining(deadline), cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            throw new InvalidOperationException($"redis-cli --cluster create failed: {ex.Message}{Environment.NewLine}{Logs()}", ex);
        }

        await WaitUntilOkAsync(Remaining(deadline), cancellationToken);
    }

    private static TimeSpan Remaining(DateTime deadline) =>
        deadline - DateTime.UtcNow is var left && left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);

    private string Logs() => RedisCli.Tails(_nodes.Select(n => n.LogPath));
}
