namespace LoadDriver.Deployment;

/// <summary>The Redis a <see cref="LocalDeployment"/> starts for its gateways.</summary>
public enum RedisTopology
{
    /// <summary>One redis-server (AOF, appendfsync always).</summary>
    SingleNode,

    /// <summary>A three-primary Redis Cluster on loopback (<c>Orchestration.RedisCluster</c>, AOF on each node).</summary>
    Cluster,
}
