namespace LoadDriver.Deployment;

/// <summary>How <see cref="LocalDeployment"/> configures the simulators and the gateway (through the contract's keys).</summary>
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

    /// <summary>
    /// Put a <see cref="FaultProxy.TcpFaultProxy"/> (loopback) between the gateways and the single
    /// redis-server: their <c>ConnectionStrings:Redis</c> is the proxy's address, so a chaos scenario
    /// can delay or black-hole Redis (<see cref="LocalDeployment.RedisProxy"/>). Default false.
    /// </summary>
    public bool RedisThroughProxy { get; init; }

    /// <summary>How long the simulator's slow answers take (6299…0001); longer than the attempt timeout.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a "processing" payout stays P at the simulator.</summary>
    public TimeSpan SettleAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Puts a loopback <c>FaultProxy.TcpFaultProxy</c> in front of each partner simulator and points
    /// each gateway's <c>Partners__&lt;p&gt;__BaseUrl</c> at it, so a chaos scenario can add latency,
    /// resets, black holes between the gateways and one partner (<see cref="LocalDeployment.PartnerProxy"/>).
    /// The ledger and behaviours still go to the simulators directly. Default false.
    /// </summary>
    public bool PartnerProxies { get; init; }

    /// <summary>
    /// Run each partner simulator as its own process (<c>Orchestration.SimulatorsProcess</c>,
    /// <c>dotnet Simulators.dll --only &lt;partner&gt;</c>) instead of in this one, so a chaos scenario can
    /// freeze one partner (<see cref="LocalDeployment.SimulatorProcess"/>); the ledger is then read over
    /// their control API (<see cref="Ledger.SimulatorsHttpLedger"/>), counted as the in-process one.
    /// In this mode <see cref="LocalDeployment.Ycb"/>, <c>Prb</c> and <c>SilkPay</c> are not available
    /// (no in-process behaviours). Default false.
    /// </summary>
    public bool SimulatorsOutOfProcess { get; init; }

    /// <summary>The built simulators for <see cref="SimulatorsOutOfProcess"/>; default <c>Orchestration.RepositoryLayout.SimulatorsDll()</c>.</summary>
    public string? SimulatorsDll { get; init; }

    /// <summary>Keep the temporary folder (redis.log, gateway.log, the AOF) after disposal, for reading. Default true.</summary>
    public bool KeepFolder { get; init; } = true;

    /// <summary>Gateway settings on top of the shared ones and <see cref="Overlay"/> (keys as environment variables, <c>Section__Key</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The load suite's differences from the shared sandbox settings (<c>Orchestration.GatewaySettings</c>),
    /// laid over them before <see cref="Settings"/>: a shorter breaker pause and inquiry interval, and
    /// client limits that do not cap a capacity run.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Overlay { get; } = new Dictionary<string, string>
    {
        ["Partners__ycb__Breaker__BreakDuration"] = "00:00:05",
        ["Partners__prb__Breaker__BreakDuration"] = "00:00:05",
        ["Partners__silkpay__Breaker__BreakDuration"] = "00:00:05",
        // The suite is one API client: its own limits must not cap a capacity run (the global shed still applies).
        ["Payouts__ClientRateLimit__Permits"] = "2000",
        ["Payouts__ClientRateLimit__Burst"] = "2000",
        ["Payouts__MaxConcurrentPerClient"] = "512",
        ["Payouts__MaxInquiryInterval"] = "00:00:01",
    };
}
