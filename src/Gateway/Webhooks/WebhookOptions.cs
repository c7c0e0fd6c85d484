using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Webhooks;

/// <summary>
/// <c>Webhooks:&lt;clientName&gt;:*</c>: where one API client (a key of <c>Auth:ApiKeys</c>) is told of
/// its payouts' final statuses (payout-api.md, "Webhooks"). <c>Url</c> and <c>Secret</c> are the
/// client's endpoint as the contract names it (endpoint name <see cref="DefaultEndpoint"/>);
/// <c>Endpoints:&lt;name&gt;:Url</c> / <c>:Secret</c> add more, each delivered, retried and
/// dead-lettered on its own.
/// </summary>
public sealed class WebhookClientOptions
{
    public const string Section = "Webhooks";

    /// <summary>The name of the endpoint of <c>Webhooks:&lt;client&gt;:Url</c>.</summary>
    public const string DefaultEndpoint = "default";

    /// <summary>The receiver's absolute http(s) URL; absent when the client has only named endpoints.</summary>
    public string? Url { get; set; }

    /// <summary>The HMAC-SHA256 key of the <c>Gateway-Signature</c> header (at least 16 characters).</summary>
    public string? Secret { get; set; }

    /// <summary>Further endpoints by name (letters, digits, <c>-</c>, <c>_</c>; at most 32 characters).</summary>
    public Dictionary<string, WebhookEndpointOptions> Endpoints { get; set; } = [];
}

/// <summary>One extra endpoint of a client: <c>Webhooks:&lt;client&gt;:Endpoints:&lt;name&gt;:*</c>.</summary>
public sealed class WebhookEndpointOptions
{
    public string? Url { get; set; }

    public string? Secret { get; set; }
}

/// <summary>
/// <c>WebhookDelivery:*</c>: how the dispatcher delivers the outbox (its own section: every child of
/// <c>Webhooks</c> is a client).
/// </summary>
public sealed class WebhookDeliveryOptions
{
    public const string Section = "WebhookDelivery";

    /// <summary>Whether this instance runs the dispatcher. Default true; events are recorded either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The wait between two dispatcher passes when there was nothing to do. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one delivery may take before it counts as unanswered (contract: 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first retry's delay; each further one doubles it (with jitter), up to <see cref="MaxRetryDelay"/>. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest delay between two attempts. Default 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "06:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after the event was recorded it is still retried; then it is dead-lettered. Default (contract) 24 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long an entry may stay with an instance that read it before another takes it over
    /// (<c>XAUTOCLAIM</c>; the reader died mid-delivery). Longer than <see cref="AttemptTimeout"/>. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ClaimIdle { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Entries read per shard per pass. Default 20.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;

    /// <summary>Deliveries in flight at once across all endpoints. Default 16.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 16;

    /// <summary>Failed deliveries in a row that open an endpoint's circuit (its events wait for retries). Default 5.</summary>
    [Range(2, 1000)]
    public int BreakerMinimumThroughput { get; set; } = 5;

    /// <summary>
    /// How long a dead letter is kept (for the list and a redelivery) after it was dead-lettered; older ones
    /// are deleted by the dispatcher's housekeeping (every 5 min, at most 1,000 per shard a pass). Default 30 days.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an endpoint's circuit stays open. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>A receiver as the dispatcher uses it: a client's endpoint, by name.</summary>
public sealed record WebhookEndpoint(string Client, string Name, Uri Url, string Secret)
{
    /// <summary>The circuit breaker's and the logs' name: <c>client/endpoint</c>.</summary>
    public string Key => Client + "/" + Name;
}

/// <summary>
/// Every configured endpoint, by client (bound from <c>Webhooks:*</c>). Built from configuration
/// (<see cref="Following"/>) it follows reloads — a rotated secret file (<c>Secrets:Directory</c>) or any
/// other provider's reload: a valid new <c>Webhooks:*</c> replaces the endpoints for the next delivery;
/// an invalid one is refused whole (every error logged, naming its setting) and the previous endpoints
/// stay, so a delivery is never signed with an empty or short secret.
/// </summary>
public sealed partial class WebhookEndpoints
{
    private volatile Dictionary<string, IReadOnlyList<WebhookEndpoint>> _byClient;

    public WebhookEndpoints(IReadOnlyDictionary<string, WebhookClientOptions> clients) => _byClient = Build(clients);

    /// <summary>The endpoints of <paramref name="configuration"/>, replaced at each valid reload.</summary>
    public static WebhookEndpoints Following(IConfiguration configuration, ILogger<WebhookEndpoints> log)
    {
        var endpoints = new WebhookEndpoints(WebhookSetup.BindClients(configuration));
        ChangeToken.OnChange(configuration.GetReloadToken, () => endpoints.Reload(configuration, log));
        return endpoints;
    }

    /// <summary>Re-reads <c>Webhooks:*</c>: applied when valid, else refused with every error logged. Returns whether applied.</summary>
    public bool Reload(IConfiguration configuration, ILogger log)
    {
        var clients = WebhookSetup.BindClients(configuration);
        var errors = new WebhookClientOptionsValidator(configuration).Validate(clients);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                Log.ReloadRefused(log, error);
            }

            return false;
        }

        var next = Build(clients);
        if (!SameAs(next))
        {
            _byClient = next;
            Log.Reloaded(log, next.Values.Sum(e => e.Count));
        }

        return true;
    }

    /// <summary>The endpoints of <paramref name="client"/>; empty when it has no webhook.</summary>
    public IReadOnlyList<WebhookEndpoint> Of(string client) => _byClient.GetValueOrDefault(client) ?? [];

    /// <summary>One endpoint of <paramref name="client"/> by name, or null when it is no longer configured.</summary>
    public WebhookEndpoint? Find(string client, string name) => Of(client).FirstOrDefault(e => e.Name == name);

    public IEnumerable<WebhookEndpoint> All => _byClient.Values.SelectMany(e => e);

    private bool SameAs(Dictionary<string, IReadOnlyList<WebhookEndpoint>> next) =>
        next.Count == _byClient.Count && next.All(p => _byClient.TryGetValue(p.Key, out var current) && current.SequenceEqual(p.Value));

    private static Dictionary<string, IReadOnlyList<WebhookEndpoint>> Build(IReadOnlyDictionary<string, WebhookClientOptions> clients)
    {
        var byClient = new Dictionary<string, IReadOnlyList<WebhookEndpoint>>(StringComparer.Ordinal);
        foreach (var (client, options) in clients)
        {
            var endpoints = new List<WebhookEndpoint>();
            if (!string.IsNullOrEmpty(options.Url) && Uri.TryCreate(options.Url, UriKind.Absolute, out var url))
            {
                endpoints.Add(new WebhookEndpoint(client, WebhookClientOptions.DefaultEndpoint, url, options.Secret ?? ""));
            }

            foreach (var (name, endpoint) in options.Endpoints.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (!string.IsNullOrEmpty(endpoint.Url) && Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var extra))
                {
                    endpoints.Add(new WebhookEndpoint(client, name, extra, endpoint.Secret ?? ""));
                }
            }

            if (endpoints.Count > 0)
            {
                byClient[client] = endpoints;
            }
        }

        return byClient;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7110, Level = LogLevel.Information, Message = "Webhook endpoints reloaded from configuration: {Endpoints} endpoints")]
        public static partial void Reloaded(ILogger logger, int endpoints);

        [LoggerMessage(EventId = 7111, Level = LogLevel.Error, Message = "Webhook endpoints not reloaded, the previous ones stay: {Error}")]
        public static partial void ReloadRefused(ILogger logger, string error);
    }
}

/// <summary>
/// The rules of <c>Webhooks:*</c>, every error at once: each client is an API client, each endpoint
/// has an absolute http(s) URL without credentials and a secret of at least
/// <see cref="MinimumSecretLength"/> characters, and endpoint names are plain.
/// </summary>
internal sealed partial class WebhookClientOptionsValidator(IConfiguration configuration)
{
    internal const int MinimumSecretLength = 16;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, WebhookClientOptions> clients)
    {
        var errors = new List<string>();
        var apiClients = configuration.GetSection("Auth:ApiKeys").GetChildren().Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (client, options) in clients)
        {
            var prefix = $"{WebhookClientOptions.Section}:{client}";
            if (!apiClients.Contains(client))
            {
                errors.Add($"{prefix} names no API client (Auth:ApiKeys:{client}).");
            }

            if (string.IsNullOrEmpty(options.Url) && options.Endpoints.Count == 0)
            {
                errors.Add($"{prefix}:Url is missing (or name endpoints under {prefix}:Endpoints:<name>).");
            }

            if (!string.IsNullOrEmpty(options.Url) || !string.IsNullOrEmpty(options.Secret))
            {
                CheckEndpoint(prefix, options.Url, options.Secret, errors);
            }

            foreach (var (name, endpoint) in options.Endpoints)
            {
                var path = $"{prefix}:Endpoints:{name}";
                if (!EndpointName().IsMatch(name) || name == WebhookClientOptions.DefaultEndpoint)
                {
                    errors.Add($"{path}: an endpoint name is 1-32 letters, digits, '-' or '_' and not '{WebhookClientOptions.DefaultEndpoint}'.");
                }

                CheckEndpoint(path, endpoint.Url, endpoint.Secret, errors);
            }
        }

        return errors;
    }

    private static void CheckEndpoint(string prefix, string? url, string? secret, List<string> errors)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{prefix}:Url must be an absolute http(s) URL.");
        }
        else if (uri.UserInfo.Length > 0)
        {
            errors.Add($"{prefix}:Url must not carry credentials.");
        }

        if (string.IsNullOrWhiteSpace(secret) || secret.Length < MinimumSecretLength)
        {
            errors.Add($"{prefix}:Secret must be at least {MinimumSecretLength} characters.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex EndpointName();
}

/// <summary>DataAnnotations of <see cref="WebhookDeliveryOptions"/> and its cross-field rules, every error at once.</summary>
internal sealed class WebhookDeliveryOptionsValidator(IConfiguration configuration) : IValidateOptions<WebhookDeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookDeliveryOptions options)
    {
        var errors = new List<string>();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            errors.AddRange(results.Select(r => $"{WebhookDeliveryOptions.Section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        if (options.ClaimIdle <= options.AttemptTimeout)
        {
            errors.Add($"{WebhookDeliveryOptions.Section}:ClaimIdle ({options.ClaimIdle}) must be longer than {WebhookDeliveryOptions.Section}:AttemptTimeout ({options.AttemptTimeout}).");
        }

        if (options.MaxRetryDelay < options.FirstRetryDelay)
        {
            errors.Add($"{WebhookDeliveryOptions.Section}:MaxRetryDelay ({options.MaxRetryDelay}) must not be shorter than {WebhookDeliveryOptions.Section}:FirstRetryDelay ({options.FirstRetryDelay}).");
        }

        // The clients' endpoints are validated with the delivery options: one start-up error list.
        errors.AddRange(new WebhookClientOptionsValidator(configuration).Validate(WebhookSetup.BindClients(configuration)));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
