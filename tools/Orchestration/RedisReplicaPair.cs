namespace Orchestration;

/// <summary>
/// A real primary and its replica on loopback (<see cref="RedisProcess"/>es, AOF, each in its own
/// folder; the replica started with <c>--replicaof 127.0.0.1 &lt;primary port&gt;</c>), ready once
/// the replica reports <c>master_link_status:up</c>. A failover is <see cref="KillPrimaryAsync"/>
/// then <see cref="PromoteReplicaAsync"/> (<c>REPLICAOF NO ONE</c>), as an operator or a sentinel would.
/// </summary>
public sealed class RedisReplicaPair : IAsyncDisposable
{
    /// <summary>How long start-up or a promotion may take unless told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly bool _ownsDirectory;

    private RedisReplicaPair(string directory, bool ownsDirectory, RedisProcess primary, RedisProcess replica)
    {
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        Primary = primary;
        Replica = replica;
    }

    public RedisProcess Primary { get; }

    public RedisProcess Replica { get; }

    /// <summary>
    /// Both endpoints, primary first (<c>127.0.0.1:p,127.0.0.1:r</c>): StackExchange.Redis asks each
    /// for its role and sends writes to the primary. Append options such as <c>,abortConnect=false</c>.
    /// </summary>
    public string ConnectionString => $"{Primary.Endpoint},{Replica.Endpoint}";

    /// <summary>
    /// Starts the primary, then the replica, and waits until the replica's link is up.
    /// <paramref name="directory"/> holds both folders; when null a temporary folder is made and
    /// removed on dispose (a folder given is left with its logs).
    /// </summary>
    public static async Task<RedisReplicaPair> StartAsync(string? directory = null, TimeSpan? within = null,
        CancellationToken cancellationToken = default)
    {
        var owns = directory is null;
        directory ??= Directory.CreateTempSubdirectory("redis-replica-").FullName;
        RedisProcess? primary = null;
        RedisProcess? replica = null;
        try
        {
            primary = await RedisProcess.StartNewAsync(Directory.CreateDirectory(Path.Combine(directory, "primary")).FullName,
                cancellationToken: cancellationToken);
            replica = await RedisProcess.StartNewAsync(Directory.CreateDirectory(Path.Combine(directory, "replica")).FullName,
                ["--replicaof", "127.0.0.1", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken);
            var pair = new RedisReplicaPair(directory, owns, primary, replica);
            await pair.WaitForRoleAsync(pair.Replica, "slave", within ?? DefaultTimeout, cancellationToken);
            return pair;
        }
        catch
        {
            await StopAsync(replica, primary, owns ? directory : null);
            throw;
        }
    }

    /// <summary>
    /// Sends <c>REPLICAOF NO ONE</c> to the replica and waits until it reports <c>role:master</c>:
    /// from then on it accepts writes. Kill the primary first, or there are two primaries.
    /// </summary>
    public async Task PromoteReplicaAsync(TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        await RedisCli.CommandAsync(Replica.Port, ["REPLICAOF", "NO", "ONE"], cancellationToken);
        await WaitForRoleAsync(Replica, "master", within ?? DefaultTimeout, cancellationToken);
    }

    /// <summary>SIGKILL to the primary, as a crash would; the replica's link goes down.</summary>
    public Task KillPrimaryAsync() => Primary.KillAsync();

    /// <summary>SIGKILL to the replica, as a crash would; the primary goes on alone.</summary>
    public Task KillReplicaAsync() => Replica.KillAsync();

    /// <summary>
    /// Starts the replica again (same port and folder, still <c>--replicaof</c> the primary) and waits
    /// until its link is up, i.e. it has caught up with the primary.
    /// </summary>
    public async Task StartReplicaAsync(TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        await Replica.StartAsync(cancellationToken);
        await WaitForRoleAsync(Replica, "slave", within ?? DefaultTimeout, cancellationToken);
    }

    /// <summary>
    /// After <see cref="KillPrimaryAsync"/> and <see cref="PromoteReplicaAsync"/>: starts the old
    /// primary again as a replica of the promoted one (<c>--replicaof</c> from its first moment, so it is
    /// never a second primary) and waits until its link is up. From then on the roles are swapped:
    /// <see cref="Replica"/> is the primary and <see cref="Primary"/> its replica.
    /// </summary>
    public async Task RejoinOldPrimaryAsReplicaAsync(TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        await Primary.StartAsync(["--replicaof", "127.0.0.1", Replica.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            cancellationToken);
        await WaitForRoleAsync(Primary, "slave", within ?? DefaultTimeout, cancellationToken);
    }

    /// <summary>
    /// Waits until <paramref name="node"/> reports <paramref name="role"/> in <c>INFO replication</c>;
    /// a replica ("slave") must also report <c>master_link_status:up</c>.
    /// </summary>
    private Task WaitForRoleAsync(RedisProcess node, string role, TimeSpan within, CancellationToken cancellationToken) =>
        RedisCli.WaitUntilAsync(async () =>
        {
            var info = await RedisCli.CommandAsync(node.Port, ["INFO", "replication"], cancellationToken);
            var actual = RedisCli.Field(info, "role");
            var link = RedisCli.Field(info, "master_link_status");
            return actual != role ? $"{node.Endpoint} reports role:{actual ?? "?"}, not {role}"
                : role == "slave" && link != "up" ? $"replica {node.Endpoint} reports master_link_status:{link ?? "?"}"
                : null;
        }, within, () => RedisCli.Tails([Primary.LogPath, Replica.LogPath]), cancellationToken);

    public async ValueTask DisposeAsync() => await StopAsync(Replica, Primary, _ownsDirectory ? _directory : null);

    private static async Task StopAsync(RedisProcess? replica, RedisProcess? primary, string? temporaryDirectory)
    {
        if (replica is not null)
        {
            await replica.DisposeAsync();
        }

        if (primary is not null)
        {
            await primary.DisposeAsync();
        }

        if (temporaryDirectory is not null)
        {
            try
            {
                Directory.Delete(temporaryDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }
}
