namespace Gateway.Partners;

/// <summary>
/// One partner's breaker state, readable for evidence, diagnostics and metrics. It is fed by the
/// breaker's own transition callbacks (<see cref="PartnerPipelines"/>).
/// </summary>
public sealed class PartnerCircuit(TimeProvider time)
{
    private readonly Lock _gate = new();
    private string _state = "closed";
    private DateTimeOffset _openUntil;

    public void Opened(TimeSpan breakDuration) => Set("open", time.GetUtcNow() + breakDuration);

    public void HalfOpened() => Set("half_open", default);

    public void Closed() => Set("closed", default);

    /// <summary>closed, open or half_open; an open circuit whose break has elapsed waits for its trial call.</summary>
    public string State
    {
        get
        {
            lock (_gate)
            {
                return _state == "open" && time.GetUtcNow() >= _openUntil ? "half_open" : _state;
            }
        }
    }

    private void Set(string state, DateTimeOffset openUntil)
    {
        lock (_gate)
        {
            _state = state;
            _openUntil = openUntil;
        }
    }
}

/// <summary>Breaker states by partner name, for callers that hold a name (a stored payout's partner): closed for a partner not enabled here.</summary>
public sealed class PartnerCircuits(PartnerRegistry partners)
{
    public string StateOf(string partner) => partners.TryGet(partner, out var enabled) ? enabled.Circuit.State : "closed";
}
