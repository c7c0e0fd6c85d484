using System.Diagnostics;

namespace Gateway.Partners;

/// <summary>
/// What trace context a partner receives: none. The partner's HTTP call is still traced here (a
/// child span of its <c>payout.attempt</c> or <c>payout.inquiry</c>), but no <c>traceparent</c>,
/// <c>tracestate</c>, <c>baggage</c> or legacy <c>Request-Id</c> header leaves the gateway: a bank
/// correlates by the payout id it is sent as the reference, the trace id may be a lender's own
/// (ASP.NET Core continues an incoming <c>traceparent</c>), and a partner's tracing is not ours to
/// join. The pass-through proxy sends none either (<c>PassThroughHttpClientFactory</c>). See README, Tracing.
/// </summary>
internal static class PartnerTracePolicy
{
    /// <summary>The propagator of every partner adapter's <see cref="SocketsHttpHandler"/>: it writes no header.</summary>
    public static DistributedContextPropagator Propagator { get; } = DistributedContextPropagator.CreateNoOutputPropagator();
}
