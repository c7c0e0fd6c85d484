namespace Gateway.Partners.Chaos;

internal static partial class ChaosLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "CHAOS IS ON ({Environment}): partner {Partner} gets faults {FaultRate:P0}, latency {Latency} on {LatencyRate:P0}, HTTP {OutcomeStatus} on {OutcomeRate:P0} of its calls (disbursements {Disbursements}, inquiries {Inquiries})")]
    public static partial void Enabled(ILogger logger, string environment, string partner, double faultRate, TimeSpan latency, double latencyRate,
        int outcomeStatus, double outcomeRate, bool disbursements, bool inquiries);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "CHAOS IS ON ({Environment}) but no partner gets anything injected (Chaos:Partners)")]
    public static partial void EnabledForNone(ILogger logger, string environment);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Chaos: injected {Injection} into a call to partner {Partner} ({Request})")]
    public static partial void Injected(ILogger logger, string partner, string injection, string request);
}
