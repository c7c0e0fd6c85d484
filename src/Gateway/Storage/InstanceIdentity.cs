namespace Gateway.Storage;

/// <summary>This process, as the owner named in the payout leases it holds.</summary>
public sealed class InstanceIdentity
{
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
}
