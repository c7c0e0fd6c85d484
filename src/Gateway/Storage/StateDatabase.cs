using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Gateway.Storage;

/// <summary>
/// The gateway's view of Redis: the one connection, and the database every store reads and writes
/// through, with <see cref="StateStoreOptions.KeyPrefix"/> applied to every key (scripts' KEYS too).
/// <para>
/// With <see cref="StateStoreOptions.ClaimReplicas"/> set, claims go over a second connection of their
/// own (<see cref="ClaimDb"/>): Redis <c>WAIT</c> blocks the connection it is sent on until replicas
/// acknowledge, and only covers that connection's writes, so it must not stall every other command of
/// the shared one while a replica lags.
/// </para>
/// </summary>
public sealed class StateDatabase : IDisposable
{
    private readonly Lazy<IConnectionMultiplexer>? _claims;
    private readonly string _prefix;
    private readonly int _database;

    /// <param name="database">A Redis database number; -1 (default) is the connection string's <c>defaultDatabase</c>.</param>
    public StateDatabase(IConnectionMultiplexer connection, IOptions<StateStoreOptions> options, Func<string, IConnectionMultiplexer> connect,
        int database = -1)
    {
        Connection = connection;
        _database = database;
        _prefix = options.Value.KeyPrefix;
        Db = WithPrefix(connection);
        ClaimReplicas = options.Value.ClaimReplicas;
        ClaimReplicaTimeout = options.Value.ClaimReplicaTimeout;
        if (ClaimReplicas > 0)
        {
            _claims = new Lazy<IConnectionMultiplexer>(() => connect("claims"));
        }
    }

    /// <summary>A view of <paramref name="connection"/> with no replica wait (tools and tests).</summary>
    public static StateDatabase Of(IConnectionMultiplexer connection, string keyPrefix = "", int database = -1) =>
        new(connection, Options.Create(new StateStoreOptions { KeyPrefix = keyPrefix }),
            _ => throw new InvalidOperationException("No second connection without Redis:ClaimReplicas."), database);

    public IConnectionMultiplexer Connection { get; }

    public IDatabase Db { get; }

    /// <summary>What <see cref="Db"/> puts before every key (for the rare SCAN, which sees raw keys).</summary>
    public string KeyPrefix => _prefix;

    /// <summary>Replicas a claim must reach before a partner hears of the payout (0: none).</summary>
    public int ClaimReplicas { get; }

    public TimeSpan ClaimReplicaTimeout { get; }

    /// <summary>Where claims are written: the claims connection when they wait for replicas, else <see cref="Db"/>.</summary>
    public IDatabase ClaimDb => _claims is null ? Db : WithPrefix(_claims.Value);

    /// <summary>The connection <see cref="ClaimDb"/> writes on (for its <c>WAIT</c>).</summary>
    public IConnectionMultiplexer ClaimConnection => _claims?.Value ?? Connection;

    public void Dispose()
    {
        if (_claims is { IsValueCreated: true })
        {
            _claims.Value.Dispose();
        }
    }

    private IDatabase WithPrefix(IConnectionMultiplexer connection) =>
        _prefix.Length == 0 ? connection.GetDatabase(_database) : connection.GetDatabase(_database).WithKeyPrefix(_prefix);
}
