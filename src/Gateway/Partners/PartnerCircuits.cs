namespace Gateway.Partners;

/// <summary>
/// Each partner's breaker state, readable for evidence, diagnostics and metrics. It is fed by
/// the breaker's own transition callbacks (not a shared Polly state provider, which a pipeline
/// built twice under a start-up race cannot share).
/// </summary>
public sealed class PartnerCircuits(TimeProvider time)
{
    private readonly Dictionary<string, (string State, DateTimeOffset OpenUntil)> _states = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Opened(string partner, TimeSpan breakDuration) => Set(partner, "open", time.GetUtcNow() + breakDuration);

    public void HalfOpened(string partner) => Set(partner, "half_open", default);

    public void Closed(string partner) => Set(partner, "closed", default);

    /// <summary>closed, open or half_open; an open circuit whose break has elapsed waits for its trial call.</summary>
    public string StateOf(string partner)
    {
        lock (_gate)
        {
            if (!_states.TryGetValue(partner, out var entry))
            {
                return "closed";
            }

            return entry.State == "open" && time.GetUtcNow() >= entry.OpenUntil ? "half_open" : entry.State;
        }
    }

    private void Set(string partner, string state, DateTimeOffset openUntil)
    {
        lock (_gate)
        {
            _states[partner] = (state, openUntil);
        }
    }
}
