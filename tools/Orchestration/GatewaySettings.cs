using System.Globalization;

namespace Orchestration;

/// <summary>
/// The one source of the gateway's settings for a local stack (./sandbox, the load and chaos
/// suites): the <c>Section__Key</c> environment variables of the configuration contract for a
/// Redis, the partners whose simulators run, a client key, an on-call key and an operator key. Every secret here is
/// obviously fake. What a caller needs beyond it (a shorter inquiry interval, looser client
/// limits, ...) goes in the overlay, at the call site, where the reason can be read.
/// </summary>
public static class GatewaySettings
{
    /// <summary>The lending client's name in <c>Auth:ApiKeys</c>.</summary>
    public const string ClientName = "sandbox-lender";

    /// <summary>The lending client's API key (<c>X-Api-Key</c>).</summary>
    public const string ClientKey = "sandbox-lender-key-not-secret";

    /// <summary>The on-call key's name in <c>Auth:OpsKeys</c>.</summary>
    public const string OnCallName = "sandbox-on-call";

    /// <summary>The on-call key (diagnostics, the /ops page).</summary>
    public const string OnCallKey = "sandbox-on-call-key-not-secret";

    /// <summary>The state store operator's name in <c>Auth:OperatorKeys</c>.</summary>
    public const string OperatorName = "sandbox-operator";

    /// <summary>The operator key (accepting a state store data loss, <c>POST /v1/state-store/accept-loss</c>).</summary>
    public const string OperatorKey = "sandbox-operator-key-not-secret";

    /// <summary>The secret payout ids are derived with (<c>Payouts:IdSecret</c>).</summary>
    public const string PayoutIdSecret = "sandbox-payout-id-secret-not-a-real-secret";

    /// <summary>Each partner attempt's timeout: shorter than the simulators' 3 s slow answers, so those are found by inquiry.</summary>
    public static readonly TimeSpan PartnerTimeout = TimeSpan.FromMilliseconds(1500);

    /// <summary>The simulators' credentials, as <c>tools/Simulators</c> accepts them by default.</summary>
    public const string YcbAppId = "sandbox-ycb-app";
    public const string YcbAppSecret = "sandbox-ycb-secret-not-real";
    public const string PrbToken = "sandbox-prb-token-not-real";
    public const string SilkPaySecretKey = "sk_test_sandbox_silkpay_not_real";

    /// <summary>
    /// The environment for a gateway on <paramref name="redisConnection"/> with the partners whose
    /// base URLs <paramref name="partners"/> gives (the others are not configured; <c>Routing:Order</c>
    /// lists the configured ones, ycb, prb, silkpay), production environment, text logs, a 6 s
    /// synchronous budget; <paramref name="overlay"/> (same key form) last, replacing or adding.
    /// </summary>
    public static Dictionary<string, string> Environment(string redisConnection, PartnerUrls partners,
        IReadOnlyDictionary<string, string>? overlay = null)
    {
        ArgumentNullException.ThrowIfNull(partners);
        var timeout = PartnerTimeout.ToString("c", CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Redis"] = redisConnection,
            [$"Auth__ApiKeys__{ClientName}"] = ClientKey,
            [$"Auth__OpsKeys__{OnCallName}"] = OnCallKey,
            [$"Auth__OperatorKeys__{OperatorName}"] = OperatorKey,
            ["Payouts__IdSecret"] = PayoutIdSecret,
            ["Payouts__SyncBudget"] = "00:00:06",
            ["Logging__Format"] = "text",
        };
        var order = new List<string>();
        if (partners.Ycb is { } ycb)
        {
            settings["Partners__ycb__BaseUrl"] = ycb;
            settings["Partners__ycb__AppId"] = YcbAppId;
            settings["Partners__ycb__AppSecret"] = YcbAppSecret;
            settings["Partners__ycb__Timeout"] = timeout;
            order.Add("ycb");
        }

        if (partners.Prb is { } prb)
        {
            settings["Partners__prb__BaseUrl"] = prb;
            settings["Partners__prb__Token"] = PrbToken;
            settings["Partners__prb__Timeout"] = timeout;
            order.Add("prb");
        }

        if (partners.SilkPay is { } silkPay)
        {
            settings["Partners__silkpay__BaseUrl"] = silkPay;
            settings["Partners__silkpay__SecretKey"] = SilkPaySecretKey;
            settings["Partners__silkpay__Timeout"] = timeout;
            order.Add("silkpay");
        }

        settings["Routing__Order"] = string.Join(',', order);
        return With(settings, overlay);
    }

    /// <summary>
    /// Configuration keys in either form (<c>Section:Key</c>, as tests and appsettings write them, or
    /// <c>Section__Key</c>) as environment variables; a null value becomes empty.
    /// </summary>
    public static Dictionary<string, string> FromConfiguration(IEnumerable<KeyValuePair<string, string?>> settings) =>
        settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value ?? "");

    /// <summary><paramref name="settings"/> with <paramref name="overlay"/> on top (a new dictionary).</summary>
    public static Dictionary<string, string> With(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string>? overlay)
    {
        var result = new Dictionary<string, string>(settings);
        foreach (var (key, value) in overlay ?? new Dictionary<string, string>())
        {
            result[key] = value;
        }

        return result;
    }
}

/// <summary>The base URLs of the partner simulators a gateway should use; a partner left null is not configured.</summary>
public sealed record PartnerUrls(string? Ycb = null, string? Prb = null, string? SilkPay = null);
