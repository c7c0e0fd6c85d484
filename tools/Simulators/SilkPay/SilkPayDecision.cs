namespace Simulators.SilkPay;

/// <summary>How a transfer request is delivered, once SilkPay has done what it does with it.</summary>
internal enum SilkPayDelivery
{
    /// <summary>HTTP <see cref="SilkPayDecision.Status"/> with <see cref="SilkPayDecision.Body"/>.</summary>
    Answer,

    /// <summary>The connection is closed without an answer.</summary>
    Drop,

    /// <summary>HTTP 200 with a truncated JSON body.</summary>
    Malformed,
}

/// <summary>The answer to send, how long to wait before sending it, and any Retry-After.</summary>
internal sealed record SilkPayDecision(
    SilkPayDelivery Delivery, int Status, object? Body, TimeSpan Delay, TimeSpan? RetryAfter = null)
{
    public static SilkPayDecision Answer(int status, object body, TimeSpan delay = default) =>
        new(SilkPayDelivery.Answer, status, body, delay);

    public static SilkPayDecision Error(int status, string code, TimeSpan delay = default, TimeSpan? retryAfter = null) =>
        new(SilkPayDelivery.Answer, status,
            new ErrorReply(new ErrorBody(SilkPayCodes.ErrorType(status), code, SilkPayCodes.ErrorMessage(code))), delay, retryAfter);
}
