using System.Collections.Frozen;

namespace Simulators.SilkPay;

/// <summary>SilkPay's failure codes and error codes (partners.md §3), with the messages it sends.</summary>
internal static class SilkPayCodes
{
    public const string Paid = "paid";
    public const string Pending = "pending";
    public const string InTransit = "in_transit";
    public const string Failed = "failed";

    public const string InvalidRequestError = "invalid_request_error";
    public const string AuthenticationError = "authentication_error";
    public const string TransferError = "transfer_error";
    public const string IdempotencyError = "idempotency_error";
    public const string RateLimitError = "rate_limit_error";
    public const string ApiError = "api_error";

    public const string AmountTooLarge = "amount_too_large";
    public const string ParameterInvalid = "parameter_invalid";
    public const string BalanceInsufficient = "balance_insufficient";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string InvalidApiKey = "invalid_api_key";
    public const string RateLimit = "rate_limit";
    public const string InvalidCurrency = "invalid_currency";

    /// <summary>Every failure_code of a failed transfer, in the order of the spec's table.</summary>
    public static readonly IReadOnlyList<string> FailureCodes =
    [
        "account_closed", "account_frozen", "bank_account_restricted", "invalid_account_number", "no_account",
        "incorrect_account_holder_name", "bank_ownership_changed", "unsupported_bank", "insufficient_funds",
        InvalidCurrency, "declined", "could_not_process", "risk_declined", "region_restricted",
    ];

    private static readonly FrozenDictionary<string, string> FailureMessages = new Dictionary<string, string>
    {
        ["account_closed"] = "The destination bank account has been closed.",
        ["account_frozen"] = "The destination bank account is frozen.",
        ["bank_account_restricted"] = "The destination bank account is restricted.",
        ["invalid_account_number"] = "The destination account number is invalid.",
        ["no_account"] = "The destination bank account does not exist.",
        ["incorrect_account_holder_name"] = "The account holder name does not match the destination account.",
        ["bank_ownership_changed"] = "The destination bank account has changed owner.",
        ["unsupported_bank"] = "The destination bank is not supported.",
        ["insufficient_funds"] = "Your SilkPay balance is insufficient for this transfer.",
        [InvalidCurrency] = "The currency is not supported for this destination.",
        ["declined"] = "The transfer was declined.",
        ["could_not_process"] = "The transfer could not be processed by the clearing network.",
        ["risk_declined"] = "The transfer was declined by risk control.",
        ["region_restricted"] = "Transfers to this region are restricted.",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static string FailureMessage(string failureCode) =>
        FailureMessages.GetValueOrDefault(failureCode, "The transfer failed.");

    /// <summary>The <c>error.type</c> an HTTP status carries.</summary>
    public static string ErrorType(int status) => status switch
    {
        401 => AuthenticationError,
        402 => TransferError,
        409 => IdempotencyError,
        429 => RateLimitError,
        >= 500 => ApiError,
        _ => InvalidRequestError,
    };

    /// <summary>The default <c>error.code</c> of <see cref="SilkPayMode.Error"/> for a status.</summary>
    public static string DefaultErrorCode(int status) => status == 402 ? BalanceInsufficient : ParameterInvalid;

    public static string ErrorMessage(string code) => code switch
    {
        AmountTooLarge => "Transfer amount exceeds the maximum allowed per transfer.",
        ParameterInvalid => "One of the parameters is invalid.",
        BalanceInsufficient => "Your SilkPay balance is insufficient for this transfer.",
        IdempotencyKeyReused => "Keys for idempotent requests can only be used with the same parameters they were first used with.",
        InvalidApiKey => "Invalid API key provided.",
        RateLimit => "Too many requests hit the API too quickly.",
        _ => "The request could not be completed.",
    };
}
