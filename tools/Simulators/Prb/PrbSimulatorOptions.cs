namespace Simulators.Prb;

/// <summary>How to start a <see cref="PrbSimulator"/>.</summary>
public sealed record PrbSimulatorOptions
{
    /// <summary>0: a free loopback port.</summary>
    public int Port { get; init; }

    /// <summary>The bearer token the bank accepts (sandbox only, obviously fake).</summary>
    public string Token { get; init; } = "sandbox-prb-token-not-real";

    /// <summary>How late <see cref="PrbMode.SlowAfterExecute"/> answers unless the behaviour says. Default 8 s.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long <see cref="PrbMode.ProcessingThenSettle"/> stays PDNG. Default 1 s.</summary>
    public TimeSpan SettleAfter { get; init; } = TimeSpan.FromSeconds(1);

    public string BindAddress { get; init; } = "127.0.0.1";

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
