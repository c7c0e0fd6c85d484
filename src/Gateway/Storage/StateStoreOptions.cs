using System.ComponentModel.DataAnnotations;

namespace Gateway.Storage;

/// <summary>
/// <c>Redis:*</c>: how the gateway uses the Redis of <c>ConnectionStrings:Redis</c> — a single node,
/// a primary with replicas, or a Redis Cluster.
/// </summary>
public sealed class StateStoreOptions
{
    public const string Section = "Redis";

    /// <summary>
    /// Put before every key the gateway writes, so several deployments (or test runs) can share one
    /// Redis or cluster without seeing each other's payouts. Default none. Braces are refused: the
    /// hash tag must stay the payout shard's (<see cref="PayoutKeys"/>).
    /// </summary>
    [MaxLength(64)]
    [RegularExpression(@"^[^{}\s]*$", ErrorMessage = "Redis:KeyPrefix must not contain braces or spaces.")]
    public string KeyPrefix { get; set; } = "";

    /// <summary>
    /// How many replicas must have acknowledged a new payout's claim (Redis <c>WAIT</c>) before any
    /// partner hears of it, so a failover to a replica cannot lose a claim a partner then executes.
    /// Default 0 (a single node, or replicas without that guarantee); set 1 with replicas.
    /// </summary>
    [Range(0, 5)]
    public int ClaimReplicas { get; set; }

    /// <summary>How long a claim waits for <see cref="ClaimReplicas"/>. Default 500 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan ClaimReplicaTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
