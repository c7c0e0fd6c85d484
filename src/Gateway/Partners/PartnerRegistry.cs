using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Gateway.Diagnosis;

namespace Gateway.Partners;

/// <summary>
/// The partners this instance may route to — those whose <c>Partners:&lt;name&gt;:BaseUrl</c> is
/// set — each built once, here, at start-up into a <see cref="Partner"/>: options, code table
/// (every enabled partner's is loaded and checked together; one exception lists every bad table),
/// adapter, breaker state, quota (its buckets in the store all instances share, <see cref="IQuotaBucketStore"/>),
/// pipelines and pass-through credentials.
/// </summary>
public sealed class PartnerRegistry : IDisposable
{
    private readonly FrozenDictionary<string, Partner> _enabled;

    public PartnerRegistry(IEnumerable<PartnerModule> modules, IServiceProvider services, CauseCatalogue causes,
        GatewayMetrics metrics, TimeProvider time, ILoggerFactory loggers)
    {
        var known = modules.ToList();
        Known = [.. known.Select(m => m.Name)];
        var enabled = known.Select(m => (Module: m, Options: m.Options(services))).Where(m => m.Options.BaseUrl is not null).ToList();

        var errors = new List<string>();
        var tables = new Dictionary<string, CodeTable>(StringComparer.Ordinal);
        foreach (var (module, options) in enabled)
        {
            try
            {
                tables[module.Name] = CodeTable.Load(module.Name, module.CodesPath(options), causes);
            }
            catch (InvalidOperationException ex)
            {
                errors.Add(ex.Message);
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }

        var log = loggers.CreateLogger(typeof(PartnerPipelines));
        var partners = new List<Partner>();
        foreach (var (module, options) in enabled)
        {
            var circuit = new PartnerCircuit(time);
            var quota = PartnerQuota.For(module.Name, options.RateLimit, new QuotaAlarm(module.Name, options.RateLimit, metrics, time, log),
                () => QuotaBuckets(services));
            partners.Add(new Partner(
                module.Name,
                options,
                module.Client(services, new PartnerWire(module.Name, tables[module.Name], time)),
                tables[module.Name],
                circuit,
                quota,
                PartnerPipelines.Disburse(module.Name, options, circuit, quota, time, log),
                PartnerPipelines.Inquiry(module.Name, options, time),
                module.ProxyCredentials?.Invoke(services)));
        }

        Enabled = partners;
        _enabled = partners.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
        metrics.Observe(partners);
    }

    /// <summary>
    /// The store of the quota buckets all instances share, asked for only when a partner has a quota:
    /// a gateway whose partners have none needs no such store (no limiter at all).
    /// </summary>
    private static IQuotaBucketStore QuotaBuckets(IServiceProvider services) =>
        services.GetService<IQuotaBucketStore>()
        ?? throw new InvalidOperationException("A partner quota is configured but no quota bucket store is registered (AddQuotaBuckets).");

    /// <summary>Every dialect this build speaks, enabled or not.</summary>
    public IReadOnlyList<string> Known { get; }

    /// <summary>The enabled partners, in registration order.</summary>
    public IReadOnlyList<Partner> Enabled { get; }

    public bool IsEnabled(string partner) => _enabled.ContainsKey(partner);

    /// <summary>An enabled partner; a name that is not one is a bug of the caller's.</summary>
    public Partner Get(string partner) => _enabled.TryGetValue(partner, out var enabled)
        ? enabled
        : throw new InvalidOperationException($"Partner '{partner}' is not enabled on this instance.");

    public bool TryGet(string partner, [MaybeNullWhen(false)] out Partner enabled) => _enabled.TryGetValue(partner, out enabled);

    /// <summary>An enabled partner's options (start-up checks of other features).</summary>
    public PartnerOptions OptionsOf(string partner) => Get(partner).Options;

    public void Dispose()
    {
        foreach (var partner in Enabled)
        {
            partner.Dispose();
        }
    }
}
