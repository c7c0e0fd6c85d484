using Polly.CircuitBreaker;

namespace Gateway.Partners;

/// <summary>Each partner's breaker state, readable for evidence, diagnostics and metrics.</summary>
public sealed class PartnerCircuits
{
    private readonly Dictionary<string, CircuitBreakerStateProvider> _providers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public CircuitBreakerStateProvider StateProviderFor(string partner)
    {
        lock (_gate)
        {
            if (!_providers.TryGetValue(partner, out var provider))
            {
                provider = new CircuitBreakerStateProvider();
                _providers[partner] = provider;
            }

            return provider;
        }
    }

    /// <summary>closed, open, half_open or isolated; "closed" before the first call builds the pipeline.</summary>
    public string StateOf(string partner)
    {
        lock (_gate)
        {
            if (!_providers.TryGetValue(partner, out var provider))
            {
                return "closed";
            }

            return provider.CircuitState switch
            {
                CircuitState.Open => "open",
                CircuitState.HalfOpen => "half_open",
                CircuitState.Isolated => "isolated",
                _ => "closed",
            };
        }
    }
}
