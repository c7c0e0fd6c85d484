using System.ComponentModel.DataAnnotations;

namespace Gateway.Partners.Chaos;

/// <summary>
/// Game-day fault injection (<c>Chaos</c>): Polly's chaos strategies in a partner's HTTP calls, off
/// unless <see cref="Enabled"/> is true, and refused in Production (<see cref="ChaosOptionsValidator"/>).
/// Only the partners named under <see cref="Partners"/> are touched, each with its own rates.
/// </summary>
public sealed class ChaosOptions
{
    public const string Section = "Chaos";

    /// <summary>The master switch. Default false: no chaos strategy is built at all.</summary>
    public bool Enabled { get; set; }

    /// <summary>Per partner (<c>Chaos:Partners:&lt;name&gt;</c>), what to inject; a partner not named here is left alone.</summary>
    public Dictionary<string, ChaosPartnerOptions> Partners { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// What is injected into one partner's calls, each with its own rate (0–1, the share of calls).
/// Everything is injected before the request leaves the gateway, so the partner never sees an
/// injected call: see <see cref="ChaosHandler"/> for what the gateway concludes from each.
/// </summary>
public sealed class ChaosPartnerOptions
{
    /// <summary>Share of calls that fail with a refused connection (an <see cref="HttpRequestException"/>, ConnectionError). Default 0.</summary>
    [Range(0.0, 1.0)]
    public double FaultRate { get; set; }

    /// <summary>Share of calls delayed by <see cref="Latency"/> before they are sent. Default 0.</summary>
    [Range(0.0, 1.0)]
    public double LatencyRate { get; set; }

    /// <summary>The injected delay; past the partner's attempt timeout it is a timeout. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan Latency { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Share of calls answered with <see cref="OutcomeStatus"/> by the gateway itself, with an empty body. Default 0.</summary>
    [Range(0.0, 1.0)]
    public double OutcomeRate { get; set; }

    /// <summary>The injected answer's HTTP status: 429 or a 5xx. Default 503.</summary>
    [Range(429, 599)]
    public int OutcomeStatus { get; set; } = 503;

    /// <summary>Whether disbursement calls (POST) are touched. Default true.</summary>
    public bool Disbursements { get; set; } = true;

    /// <summary>Whether status inquiries (GET) are touched. Default true; false lets inquiries resolve what the injections left unknown.</summary>
    public bool Inquiries { get; set; } = true;

    /// <summary>Whether anything at all is injected.</summary>
    public bool InjectsAnything => (FaultRate > 0 || LatencyRate > 0 || OutcomeRate > 0) && (Disbursements || Inquiries);
}
