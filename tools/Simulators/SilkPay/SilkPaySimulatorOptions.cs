namespace Simulators.SilkPay;

/// <summary>How a <see cref="SilkPaySimulator"/> listens and authenticates, and how long its slow answers take.</summary>
public sealed record SilkPaySimulatorOptions
{
    /// <summary>The listening port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Expected in <c>Authorization: Bearer</c>.</summary>
    public string SecretKey { get; init; } = "sk_test_sandbox_silkpay_not_real";

    /// <summary>How long <see cref="SilkPayMode.SlowAfterExecute"/> waits when its behaviour names no delay.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a <see cref="SilkPayMode.ProcessingThenSettle"/> transfer stays pending.</summary>
    public TimeSpan SettleAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest amount one transfer may carry, in fen (above it: 400 amount_too_large). Default 1,000,000.00 CNY.</summary>
    public long MaxAmount { get; init; } = 100_000_000;

    /// <summary>
    /// The address to listen on: loopback unless told otherwise (the compose container passes
    /// <c>0.0.0.0</c>). <see cref="SilkPaySimulator.Url"/> is always the loopback address.
    /// </summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>The clock for settling, execution times and delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
