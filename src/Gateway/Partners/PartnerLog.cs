using Gateway.Core;


namespace Gateway.Partners;

internal static partial class PartnerLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Circuit for partner {Partner} opened for {BreakSeconds} s")]
    public static partial void CircuitOpened(ILogger logger, string partner, double breakSeconds);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Circuit for partner {Partner} half-open: trying one call")]
    public static partial void CircuitHalfOpened(ILogger logger, string partner);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Circuit for partner {Partner} closed")]
    public static partial void CircuitClosed(ILogger logger, string partner);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information,
        Message = "Partner {Partner} {Call} attempt {Attempt} for payout {PayoutId}: {Outcome} code {PartnerCode} status {PartnerStatus} HTTP {HttpStatus} in {ElapsedMs} ms")]
    public static partial void AttemptFinished(ILogger logger, string partner, string call, int attempt, string payoutId,
        string outcome, string? partnerCode, string? partnerStatus, int? httpStatus, long elapsedMs);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning,
        Message = "Partner {Partner} quota saturated: {Queued} disbursements waited for a permit and {Refused} were refused unsent since the last warning (quota {Permits} per {Period}, burst {Burst}, queue {QueueLimit}; at most one warning per {QuietSeconds} s)")]
    public static partial void QuotaSaturated(ILogger logger, string partner, long queued, long refused,
        int permits, TimeSpan period, int burst, int queueLimit, double quietSeconds);
}
