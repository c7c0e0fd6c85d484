namespace Gateway.Proxy;

/// <summary>
/// Pass-through refusals. Never the path, query or body of the refused call (a caller may have
/// typed an account number into any of them): the partner, the method, the client and why.
/// </summary>
internal static partial class PassThroughLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning,
        Message = "Pass-through {Method} to {Partner} by client {Client} refused: not on the partner's allow-list; nothing signed or forwarded")]
    public static partial void NotAllowed(ILogger logger, string partner, string method, string client);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning,
        Message = "Pass-through to {Partner} by client {Client} refused: body over {LimitBytes} bytes; nothing forwarded")]
    public static partial void TooLarge(ILogger logger, string partner, string client, long limitBytes);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information,
        Message = "Pass-through to {Partner} by client {Client} refused: {Limit} rate limit; retry after {RetryAfterSeconds} s")]
    public static partial void RateLimited(ILogger logger, string partner, string client, string limit, int retryAfterSeconds);
}
