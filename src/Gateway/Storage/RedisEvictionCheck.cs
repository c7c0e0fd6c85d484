using Gateway.Hosting;
using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>
/// Checks Redis's <c>maxmemory-policy</c> before traffic and logs it. Only <c>noeviction</c> is
/// safe: every gateway key has a TTL (<see cref="Payouts.PayoutsOptions.ProcessingLifetime"/>),
/// so an evicting policy — <c>allkeys-*</c> or <c>volatile-*</c> — may silently drop an
/// idempotency record under memory pressure, and the same key would then create a second
/// payout record. In Production such a policy stops the host; elsewhere it is a warning.
/// The policy is read with <c>INFO memory</c>. If Redis is
/// down at start-up the host starts anyway (it answers 503 until Redis is back) and the check
/// runs as soon as Redis answers; an evicting policy found then stops the application. On a cluster
/// every node that holds a payout shard is asked. The same step refuses, in every environment, a
/// Redis that still holds payouts of the older single-node key layout (<see cref="KeyLayoutCheck"/>).
/// </summary>
internal sealed partial class RedisEvictionCheck(
    StateDatabase state,
    KeyLayoutCheck layout,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<RedisEvictionCheck> log) : IHostedService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);
    private Task? _background;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await TryReadPolicyAsync() is { } policy)
        {
            Judge(policy, atStartup: true);
            await CheckLayoutAsync(atStartup: true);
            return;
        }

        Log.PolicyUnknown(log, Endpoints(state.Connection));
        _background = RecheckUntilKnownAsync(lifetime.ApplicationStopping);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_background is not null)
        {
            // ApplicationStopping has ended the loop's wait.
            await _background.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Whether a policy may evict keys the gateway relies on.</summary>
    internal static bool Evicts(string policy) => !string.Equals(policy, "noeviction", StringComparison.OrdinalIgnoreCase);

    private async Task RecheckUntilKnownAsync(CancellationToken stoppingToken)
    {
        using var known = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await new BackgroundLoop("redis-eviction-check", RetryInterval, TimeSpan.FromSeconds(30)).RunAsync(async _ =>
        {
            if (await TryReadPolicyAsync() is { } policy)
            {
                Judge(policy, atStartup: false);
                await CheckLayoutAsync(atStartup: false);
                await known.CancelAsync();
            }
        }, time, log, known.Token);
    }

    private void Judge(string policy, bool atStartup)
    {
        if (!Evicts(policy))
        {
            Log.PolicySafe(log, policy);
            return;
        }

        if (!environment.IsProduction())
        {
            Log.PolicyEvictsTolerated(log, policy, environment.EnvironmentName);
            return;
        }

        Log.PolicyEvictsRefused(log, policy);
        var message = $"Redis maxmemory-policy is '{policy}': an evicting policy can drop idempotency records and lead to a double payout. Set maxmemory-policy noeviction.";
        if (atStartup)
        {
            throw new InvalidOperationException(message);
        }

        lifetime.StopApplication();
    }

    private async Task CheckLayoutAsync(bool atStartup)
    {
        string? older;
        try
        {
            older = await layout.FindOlderLayoutAsync();
        }
        catch (Exception ex) when (ex.IsStateStoreFailure() || ex is RedisServerException)
        {
            // Checked again at the next start; the policy check has already passed.
            Log.LayoutCheckFailed(log, ex.GetType().Name);
            return;
        }

        if (older is null)
        {
            return;
        }

        Log.OlderLayoutRefused(log, older);
        var message = $"Redis holds payouts in the single-node key layout of an earlier gateway version ({older}). This version stores payouts in 16 cluster shards and would not see them: finish them with the earlier version (or migrate them) first.";
        if (atStartup)
        {
            throw new InvalidOperationException(message);
        }

        lifetime.StopApplication();
    }

    /// <summary>The policy of every node that holds a payout shard: the first evicting one, else noeviction.</summary>
    private async Task<string?> TryReadPolicyAsync()
    {
        try
        {
            // INFO through a script: the plain command is an admin command for the client library,
            // and the gateway's connection is not an admin one. One key of each shard routes the
            // script to that shard's node (on a single node, all go to it).
            var infos = await Task.WhenAll(PayoutKeys.AllShards.Select(shard =>
                state.Db.ScriptEvaluateAsync(InfoScript, [PayoutKeys.Processing(shard)])));
            var policies = infos.Select(info => ((string?)info)?.Split('\n').Select(l => l.Trim())
                    .FirstOrDefault(l => l.StartsWith("maxmemory_policy:", StringComparison.Ordinal))?["maxmemory_policy:".Length..])
                .OfType<string>().ToList();
            return policies.FirstOrDefault(Evicts) ?? policies.FirstOrDefault();
        }
        catch (Exception ex) when (ex.IsStateStoreFailure() || ex is RedisServerException)
        {
            Log.PolicyReadFailed(log, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>The endpoints of <c>ConnectionStrings:Redis</c> (never its password), as on-call would look for them.</summary>
    internal static string Endpoints(IConnectionMultiplexer connection) =>
        string.Join(",", connection.GetEndPoints(configuredOnly: true).Select(EndPointCollection.ToString));

    private const string InfoScript = "return redis.call('INFO', 'memory')";

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Redis maxmemory-policy is {Policy}: idempotency records are never evicted")]
        public static partial void PolicySafe(ILogger logger, string policy);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Redis maxmemory-policy is {Policy}: keys may be evicted under memory pressure, which risks double payouts; tolerated in {Environment}, refused in Production. Set noeviction.")]
        public static partial void PolicyEvictsTolerated(ILogger logger, string policy, string environment);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Critical, Message = "Redis maxmemory-policy is {Policy}: keys may be evicted, which risks double payouts. Refused in Production: set maxmemory-policy noeviction.")]
        public static partial void PolicyEvictsRefused(ILogger logger, string policy);

        [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Redis maxmemory-policy could not be read yet (Redis unreachable at {Endpoints}); checking again once it answers")]
        public static partial void PolicyUnknown(ILogger logger, string endpoints);

        [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Reading Redis maxmemory-policy failed ({Error})")]
        public static partial void PolicyReadFailed(ILogger logger, string error);

        [LoggerMessage(EventId = 5006, Level = LogLevel.Critical, Message = "Redis holds payouts in the older single-node key layout ({Found}): refused, they would be invisible to this version")]
        public static partial void OlderLayoutRefused(ILogger logger, string found);

        [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Checking Redis for payouts of the older key layout failed ({Error}); checked again at the next start")]
        public static partial void LayoutCheckFailed(ILogger logger, string error);
    }
}
