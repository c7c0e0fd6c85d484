namespace Simulators.Ycb;

/// <summary>How a <see cref="YcbSimulator"/> listens and signs, and how long its slow answers take.</summary>
public sealed record YcbSimulatorOptions
{
    /// <summary>The listening port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Expected in <c>X-YCB-AppId</c>.</summary>
    public string AppId { get; init; } = "sandbox-ycb-app";

    /// <summary>The HMAC-SHA256 key of <c>X-YCB-Signature</c>.</summary>
    public string AppSecret { get; init; } = "sandbox-ycb-secret-not-real";

    /// <summary>How long <see cref="YcbMode.SlowAfterExecute"/> waits when its behaviour names no delay.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a <see cref="YcbMode.ProcessingThenSettle"/> payout stays <c>P</c>.</summary>
    public TimeSpan SettleAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The address to listen on: loopback unless told otherwise (the compose container passes
    /// <c>0.0.0.0</c>). <see cref="YcbSimulator.Url"/> is always the loopback address.
    /// </summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>The clock for settling, execution times and delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
