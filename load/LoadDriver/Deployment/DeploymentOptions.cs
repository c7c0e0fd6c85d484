namespace LoadDriver.Deployment;

/// <summary>How <see cref="LocalDeployment"/> configures the simulator and the gateway (through the contract's keys).</summary>
public sealed record DeploymentOptions
{
    /// <summary>The built gateway to run (<c>dotnet Gateway.dll</c>).</summary>
    public required string GatewayDll { get; init; }

    /// <summary>The most gateway instances a deployment starts.</summary>
    public const int MaxInstances = 3;

    /// <summary>Gateway processes, each on its own port, all sharing the one Redis (1 to <see cref="MaxInstances"/>). Default 1.</summary>
    public int Instances { get; init; } = 1;

    /// <summary>One redis-server or a three-primary cluster. Default single.</summary>
    public RedisTopology Redis { get; init; } = RedisTopology.SingleNode;

    /// <summary>How long the simulator's slow answers take (6299…0001); longer than the attempt timeout.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a "processing" payout stays P at the simulator.</summary>
    public TimeSpan SettleAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Keep the temporary folder (redis.log, gateway.log, the AOF) after disposal, for reading. Default true.</summary>
    public bool KeepFolder { get; init; } = true;

    /// <summary>Gateway settings on top of the defaults (keys as environment variables, <c>Section__Key</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The defaults: those of ./sandbox, with a shorter inquiry interval and breaker pause.</summary>
    public static IReadOnlyDictionary<string, string> DefaultSettings { get; } = new Dictionary<string, string>
    {
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Partners__ycb__AppId"] = "sandbox-ycb-app",
        ["Partners__ycb__AppSecret"] = "sandbox-ycb-secret-not-real",
        ["Partners__ycb__Timeout"] = "00:00:01.500",
        ["Partners__ycb__Breaker__BreakDuration"] = "00:00:05",
        ["Routing__Order"] = "ycb",
        ["Payouts__IdSecret"] = "load-suite-payout-id-secret-not-a-real-secret",
        // The suite is one API client: its own limits must not cap a capacity run (the global shed still applies).
        ["Payouts__ClientRateLimit__Permits"] = "2000",
        ["Payouts__ClientRateLimit__Burst"] = "2000",
        ["Payouts__MaxConcurrentPerClient"] = "512",
        ["Payouts__SyncBudget"] = "00:00:06",
        ["Payouts__MaxInquiryInterval"] = "00:00:01",
        ["Logging__Format"] = "text",
        // The on-call key the report's breaker sampler reads /v1/diagnostics/partners with.
        ["Auth__OpsKeys__load-on-call"] = LocalDeployment.OnCallKey,
    };
}
