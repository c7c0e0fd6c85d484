namespace Simulators.SilkPay;

/// <summary>One transfer the simulated SilkPay actually made (money moved); <see cref="Amount"/> in fen.</summary>
public sealed record SilkPayExecution(
    string TransferId,
    string IdempotencyKey,
    string ClientReference,
    string AccountNumber,
    string AccountHolderName,
    string BankCode,
    long Amount,
    string Currency,
    string? Description,
    DateTimeOffset At);

/// <summary>
/// A transfer SilkPay already made under an Idempotency-Key, as if an earlier client had sent it
/// (see <see cref="SilkPaySimulator.Hold"/>). The key is <see cref="ClientReference"/>.
/// </summary>
public sealed record SilkPayHeldTransfer(
    string ClientReference,
    long Amount,
    string AccountNumber,
    string AccountHolderName = "张三",
    string BankCode = "ICBC",
    string Description = "held by an earlier request");
