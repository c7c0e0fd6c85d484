namespace Simulators.SilkPay;

/// <summary>A transfer SilkPay holds: its order, the key it came under, and where it stands.</summary>
internal sealed record SilkPayTransferRecord(
    string Id,
    string IdempotencyKey,
    SilkPayTransferOrder Order,
    string Status,
    DateTimeOffset Created,
    string? FailureCode = null,
    DateTimeOffset? SettleAt = null,
    string? SettleFailureCode = null)
{
    public TransferReply Reply() => new(
        Id,
        "transfer",
        Status,
        Order.Amount,
        Order.Currency,
        Order.ClientReference,
        new DestinationReply(Order.AccountNumber, Order.AccountHolderName, Order.BankCode),
        Order.Description,
        FailureCode,
        FailureCode is null ? null : SilkPayCodes.FailureMessage(FailureCode),
        Created.ToUnixTimeSeconds());
}
