using Polly;
using Gateway.Core;

namespace Gateway.Partners;

/// <summary>
/// One enabled partner, resolved once at start-up (<see cref="PartnerRegistry"/>) with everything
/// a call to it needs: its options, its adapter, its two Polly pipelines (built once, here), its
/// quota, its breaker state, its code table, its pass-through credentials and its recent call
/// statistics. The hot path reads these fields; it never looks a partner's parts up by name.
/// </summary>
public sealed class Partner : IDisposable
{
    internal Partner(
        string name,
        PartnerOptions options,
        IPartnerClient client,
        CodeTable codes,
        PartnerCircuit circuit,
        PartnerQuota? quota,
        ResiliencePipeline<PartnerAnswer> disburse,
        ResiliencePipeline<PartnerAnswer> inquiry,
        IPartnerProxyCredentials? proxyCredentials)
    {
        Name = name;
        Options = options;
        Client = client;
        Codes = codes;
        Circuit = circuit;
        Quota = quota;
        Disburse = disburse;
        Inquiry = inquiry;
        ProxyCredentials = proxyCredentials;
    }

    public string Name { get; }

    /// <summary><c>Partners:&lt;name&gt;</c>, validated at start-up.</summary>
    public PartnerOptions Options { get; }

    /// <summary>The dialect's adapter.</summary>
    public IPartnerClient Client { get; }

    /// <summary>The partner's code → meaning/cause table, loaded from the file its module names.</summary>
    public CodeTable Codes { get; }

    /// <summary>The partner's breaker state, fed by its disbursement pipeline's breaker.</summary>
    public PartnerCircuit Circuit { get; }

    /// <summary>The partner's quota (<c>Partners:&lt;name&gt;:RateLimit</c>), or null when none is configured: then nothing limits calls to it.</summary>
    public PartnerQuota? Quota { get; }

    /// <summary>total timeout → retry (only what proves nothing executed) → quota, if any → breaker → attempt timeout.</summary>
    public ResiliencePipeline<PartnerAnswer> Disburse { get; }

    /// <summary>attempt timeout with a few retries, outside the breaker and the quota.</summary>
    public ResiliencePipeline<PartnerAnswer> Inquiry { get; }

    /// <summary>How pass-through calls to the partner are allowed and signed; null when none are.</summary>
    public IPartnerProxyCredentials? ProxyCredentials { get; }

    /// <summary>The partner's recent call latencies, as this instance saw them.</summary>
    public PartnerCallStats Stats { get; } = new();

    public override string ToString() => Name;

    public void Dispose() => Quota?.Dispose();
}
