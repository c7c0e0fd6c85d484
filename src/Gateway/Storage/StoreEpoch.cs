using System.Diagnostics.Metrics;
using System.Globalization;
using Gateway.Partners;
using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>What this instance knows of the store: its epoch, and whether the store lost its data.</summary>
/// <param name="Epoch">The epoch this instance works in (null: not read yet, or never seen before a loss).</param>
/// <param name="LostSince">When a loss was detected (null: the store is intact).</param>
/// <param name="LostBy">The instance that detected it.</param>
public sealed record StoreEpochState(string? Epoch, DateTimeOffset? LostSince, string? LostBy)
{
    public bool IsLost => LostSince is not null;
}

/// <summary>
/// Detects that Redis lost its data while gateways kept running (a restart without its files, a
/// <c>FLUSHALL</c>, a failover to an empty node), so that no Idempotency-Key already answered is
/// taken as new and sent again blind.
/// <para>
/// Every shard holds a marker (<see cref="Marker"/>, in the shard's hash tag) with the store's
/// epoch: a random id written once, when the first instance finds a new, empty store. Every
/// instance keeps the epoch it read; the claim script refuses to create a payout unless its shard's
/// marker still holds that epoch (<see cref="IdempotencyStore"/>). A marker missing or changed
/// means the data is gone: the instance writes a tombstone (<c>lost:&lt;unix ms&gt;</c> in every
/// marker, and <see cref="LostKey"/> with when and who), so every instance, and every instance that
/// starts later, refuses new payouts with 503 <c>state-store-lost</c> until Redis is restored (the
/// markers come back with the old epoch) or an operator accepts the loss (<see cref="AcceptLossAsync"/>:
/// a new epoch, recorded in <see cref="AcceptedKey"/> so running instances adopt it).
/// </para>
/// <para>
/// Residual risk: if every instance is down while the data is lost, the next start finds an empty
/// store with no tombstone and cannot tell it from a new one.
/// </para>
/// </summary>
public sealed partial class StoreEpoch : IDisposable
{
    /// <summary>How often <see cref="StoreEpochMonitor"/> reads the markers (17 pipelined GETs).</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    /// <summary>The global tombstone: when and by whom the loss was found (deleted by <see cref="AcceptLossAsync"/>).</summary>
    public static readonly RedisKey LostKey = "gw:store-lost";

    /// <summary>Epochs created by an accepted loss: epoch → when, who, and the epoch before (a hash, never expires).</summary>
    public static readonly RedisKey AcceptedKey = "gw:store-epochs-accepted";

    private const string LostPrefix = "lost:";

    /// <summary>While lost, checks closer together than this only look for the tombstone (refusals under load cost one read).</summary>
    private static readonly TimeSpan LostRecheckAfter = TimeSpan.FromSeconds(1);

    private readonly StateDatabase _state;
    private readonly PayoutIdSecretStore _secret;
    private DateTimeOffset _lastChecked = DateTimeOffset.MinValue;
    private readonly InstanceIdentity _instance;
    private readonly TimeProvider _time;
    private readonly ILogger<StoreEpoch> _log;
    private readonly Counter<long> _refusals;
    private readonly SemaphoreSlim _checking = new(1, 1);
    private volatile StoreEpochState _current = new(null, null, null);

    public StoreEpoch(StateDatabase state, PayoutIdSecretStore secret, InstanceIdentity instance, TimeProvider time, IMeterFactory meters,
        ILogger<StoreEpoch> log)
    {
        _state = state;
        _secret = secret;
        _instance = instance;
        _time = time;
        _log = log;
        var meter = meters.Create(GatewayMetrics.MeterName);
        meter.CreateObservableGauge("gateway.state_store.lost", () => _current.IsLost ? 1 : 0, "{state}",
            "1 while this instance knows the state store lost its data (new payouts refused with 503 state-store-lost until an operator accepts the loss or Redis is restored), else 0.");
        _refusals = meter.CreateCounter<long>("gateway.state_store.lost.refusals", "{request}",
            "Requests refused with 503 state-store-lost (a new payout not created, a missing payout not reported as absent).");
    }

    /// <summary>The shard's epoch marker, in the shard's hash tag (the claim script reads it).</summary>
    public static RedisKey Marker(int shard) => "gw:" + PayoutKeys.Tag(shard) + ":epoch";

    public StoreEpochState Current => _current;

    /// <summary>The epoch a claim must find in its shard's marker; null while unknown or lost.</summary>
    public string? Epoch => _current.IsLost ? null : _current.Epoch;

    /// <summary>Counts one request refused because of the loss.</summary>
    public void CountRefusal() => _refusals.Add(1);

    /// <summary>The epoch to claim with: read (or, for a new store, created) on first use. A Redis failure propagates.</summary>
    public async ValueTask<string?> EnsureKnownAsync()
    {
        if (_current is { Epoch: { } epoch, IsLost: false })
        {
            return epoch;
        }

        await RecheckAsync();
        return Epoch;
    }

    /// <summary>
    /// <see cref="CheckAsync"/>, unless the store is known lost, was checked less than a second ago and
    /// still holds the tombstone: refusals under load then cost one read, and an accepted loss (the
    /// tombstone removed) is adopted at once.
    /// </summary>
    public async Task<StoreEpochState> RecheckAsync()
    {
        var current = _current;
        return current.IsLost && _time.GetUtcNow() - _lastChecked < LostRecheckAfter && await _state.Db.KeyExistsAsync(LostKey)
            ? current
            : await CheckAsync();
    }

    /// <summary>Whether one shard's marker still holds this instance's epoch (one read; a GET that found nothing asks this).</summary>
    public async Task<bool> IsShardIntactAsync(int shard)
    {
        if (_current.IsLost)
        {
            return false;
        }

        if (_current.Epoch is not { } epoch)
        {
            await CheckAsync();
            return !_current.IsLost;
        }

        if ((string?)await _state.Db.StringGetAsync(Marker(shard)) == epoch)
        {
            return true;
        }

        await CheckAsync();
        return !_current.IsLost;
    }

    /// <summary>
    /// Reads every marker and the tombstone, and decides: a new store (markers created), the same
    /// epoch, an accepted new epoch (adopted), or a loss (tombstone written). One check at a time.
    /// </summary>
    public async Task<StoreEpochState> CheckAsync()
    {
        await _checking.WaitAsync();
        try
        {
            _lastChecked = _time.GetUtcNow();
            var db = _state.Db;
            var lostTask = db.StringGetAsync(LostKey);
            var markerTasks = PayoutKeys.AllShards.Select(shard => db.StringGetAsync(Marker(shard))).ToArray();
            var markers = (await Task.WhenAll(markerTasks)).Select(v => (string?)v).ToArray();
            var tombstone = (string?)await lostTask;

            if (tombstone is not null || markers.Any(m => m is not null && m.StartsWith(LostPrefix, StringComparison.Ordinal)))
            {
                // Lost already: make sure every shard says so (a loss found by another instance, or half-written).
                return await DeclareLostAsync(tombstone, markers, "tombstone");
            }

            var known = _current.Epoch;
            if (markers.All(m => m is null))
            {
                return known is null ? await CreateAsync() : await DeclareLostAsync(null, markers, "markers missing");
            }

            if (known is null && markers.Any(m => m is null))
            {
                // Never had an epoch, and some markers are set: another instance is creating the store right now
                // (shard 0 first, then the rest). Finish with shard 0's epoch; markers that then differ are a loss.
                return await CreateAsync();
            }

            var values = markers.Distinct().ToArray();
            if (values.Length == 1 && values[0] is { } only)
            {
                if (only == known)
                {
                    return Set(new StoreEpochState(only, null, null));
                }

                if (known is null || await db.HashExistsAsync(AcceptedKey, only))
                {
                    if (known is not null)
                    {
                        Log.EpochAdopted(_log, only, known);
                    }

                    return Set(new StoreEpochState(only, null, null));
                }

                return await DeclareLostAsync(null, markers, "epoch changed");
            }

            return await DeclareLostAsync(null, markers, markers.Any(m => m is null) ? "markers missing" : "markers differ");
        }
        finally
        {
            _checking.Release();
        }
    }

    /// <summary>
    /// On-call accepts the loss (after reconciling with the partners): a new epoch in every marker,
    /// recorded as accepted, and the tombstone removed. This instance adopts it at once, the others at
    /// their next check. Returns the new epoch.
    /// </summary>
    public async Task<string> AcceptLossAsync(string acceptedBy)
    {
        await _checking.WaitAsync();
        try
        {
            var db = _state.Db;
            var previous = _current.Epoch ?? "";
            var epoch = NewEpoch();
            var now = _time.GetUtcNow();
            var record = $"at={now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)} by={acceptedBy} instance={_instance.Id} previous={previous}";

            // The id secret back first (when this instance holds it), then the accepted record: an
            // instance that sees the new markers must find both.
            await _secret.RestoreAsync();
            await db.HashSetAsync(AcceptedKey, epoch, record);
            await Task.WhenAll(PayoutKeys.AllShards.Select(shard => db.StringSetAsync(Marker(shard), epoch)));
            await db.KeyDeleteAsync(LostKey);
            Set(new StoreEpochState(epoch, null, null));
            Log.LossAccepted(_log, acceptedBy, epoch, previous);
            return epoch;
        }
        finally
        {
            _checking.Release();
        }
    }

    private async Task<StoreEpochState> CreateAsync()
    {
        // Shard 0's marker decides: concurrent first starts all read the one value that won its SET NX.
        var db = _state.Db;
        await db.StringSetAsync(Marker(0), NewEpoch(), when: When.NotExists);
        var epoch = (string?)await db.StringGetAsync(Marker(0));
        if (epoch is null || epoch.StartsWith(LostPrefix, StringComparison.Ordinal))
        {
            return await DeclareLostAsync(null, [epoch], "marker vanished at creation");
        }

        await Task.WhenAll(PayoutKeys.AllShards.Skip(1).Select(shard => db.StringSetAsync(Marker(shard), epoch, when: When.NotExists)));
        var markers = (await Task.WhenAll(PayoutKeys.AllShards.Select(shard => db.StringGetAsync(Marker(shard))))).Select(v => (string?)v).ToArray();
        if (markers.Any(m => m != epoch))
        {
            return await DeclareLostAsync(null, markers, "markers differ at creation");
        }

        Log.StoreCreated(_log, epoch);
        return Set(new StoreEpochState(epoch, null, null));
    }

    private async Task<StoreEpochState> DeclareLostAsync(string? tombstone, string?[] markers, string reason)
    {
        var db = _state.Db;
        var now = _time.GetUtcNow();
        var lostSince = now;
        var lostBy = _instance.Id;
        if (tombstone is not null && Parse(tombstone) is { } found)
        {
            (lostSince, lostBy) = found;
        }
        else
        {
            var written = $"at={now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)} by={lostBy} reason={reason}";
            if (!await db.StringSetAsync(LostKey, written, when: When.NotExists)
                && Parse((string?)await db.StringGetAsync(LostKey)) is { } other)
            {
                (lostSince, lostBy) = other;
            }
        }

        var value = LostPrefix + lostSince.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        if (markers.Length != PayoutKeys.Shards || markers.Any(m => m is null || !m.StartsWith(LostPrefix, StringComparison.Ordinal)))
        {
            await Task.WhenAll(PayoutKeys.AllShards.Select(shard => db.StringSetAsync(Marker(shard), value)));
        }

        var before = _current;
        var state = Set(new StoreEpochState(before.Epoch, lostSince, lostBy));
        if (!before.IsLost)
        {
            // Put the shared id secret back before any instance could create another one.
            await _secret.RestoreAsync();
            Log.StoreLost(_log, reason, lostSince, lostBy, before.Epoch ?? "(none)");
        }

        return state;
    }

    public void Dispose() => _checking.Dispose();

    private static (DateTimeOffset At, string By)? Parse(string? tombstone)
    {
        if (tombstone is null)
        {
            return null;
        }

        var fields = tombstone.Split(' ').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        return fields.TryGetValue("at", out var at) && long.TryParse(at, CultureInfo.InvariantCulture, out var ms)
            ? (DateTimeOffset.FromUnixTimeMilliseconds(ms), fields.GetValueOrDefault("by") ?? "")
            : null;
    }

    private StoreEpochState Set(StoreEpochState state)
    {
        _current = state;
        return state;
    }

    private static string NewEpoch() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "New state store: epoch {Epoch} written on every shard")]
        public static partial void StoreCreated(ILogger logger, string epoch);

        [LoggerMessage(EventId = 5202, Level = LogLevel.Critical, Message = "The state store lost its data ({Reason}; found {LostSince:o} by {LostBy}; this instance's epoch {Epoch}): new payouts are refused with 503 state-store-lost until Redis is restored or an operator accepts the loss (docs/runbook.md#statestorelost)")]
        public static partial void StoreLost(ILogger logger, string reason, DateTimeOffset lostSince, string lostBy, string epoch);

        [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "State store loss accepted by operator {AcceptedBy}: new epoch {Epoch} (was {Previous}); new payouts are accepted again")]
        public static partial void LossAccepted(ILogger logger, string acceptedBy, string epoch, string previous);

        [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "Adopted the state store epoch {Epoch} accepted by an operator (was {Previous})")]
        public static partial void EpochAdopted(ILogger logger, string epoch, string previous);
    }
}
