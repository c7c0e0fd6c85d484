namespace ChaosSuite.Scenarios.Partners;

/// <summary>A partner misbehaving at the application level, set as a simulator behaviour on each affected payout's account.</summary>
internal enum PartnerFault
{
    /// <summary><c>&lt;partner&gt;-5xx-storm</c>: every attempt answered 5xx, nothing executed.</summary>
    ServerErrors,

    /// <summary><c>&lt;partner&gt;-429-storm</c>: every attempt throttled (429, or ycb's 9001 "system busy"), nothing executed.</summary>
    RateLimited,

    /// <summary><c>&lt;partner&gt;-malformed</c>: answers that cannot be parsed, executed or (ycb, every other one) not.</summary>
    Malformed,

    /// <summary><c>&lt;partner&gt;-hang</c>: answers come only after the attempt timeout, nothing executed (the partner lost it).</summary>
    Hang,
}

/// <summary>A network fault between the gateways and one partner, through its <c>FaultProxy.TcpFaultProxy</c>.</summary>
internal enum NetworkFault
{
    /// <summary><c>&lt;partner&gt;-latency</c>: 900 ms ± 700 ms per chunk, both ways, around the 1.5 s attempt timeout.</summary>
    Latency,

    /// <summary><c>&lt;partner&gt;-reset</c>: open connections reset at the start, new ones reset during the window.</summary>
    Reset,

    /// <summary><c>&lt;partner&gt;-blackhole</c>: connections accepted, every byte dropped both ways.</summary>
    BlackHole,

    /// <summary><c>&lt;partner&gt;-half-open</c>: requests reach the partner, its answers are dropped.</summary>
    HalfOpen,
}
