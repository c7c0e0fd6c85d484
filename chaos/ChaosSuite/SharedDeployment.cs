using System.Net.Http.Json;
using System.Text.Json;
using LoadDriver.Deployment;
using LoadDriver.Ledger;
using LoadDriver.Payouts;
using LoadDriver.Timeline;

namespace ChaosSuite;

/// <summary>
/// The deployment of the scenario being run, kept for the next one when both may share it (the partner
/// scenarios: one gateway, the fault proxies in front of the simulators) and the options are the same.
/// Between two scenarios it is reset: simulator behaviours cleared, every partner proxy back to
/// pass-through, and every partner breaker closed (read from <c>GET /v1/diagnostics/partners</c> with
/// the on-call key; probe payouts are sent while one is not, bounded by <see cref="ResetTimeout"/>);
/// a reset that does not get there replaces the deployment with a fresh one. Each scenario's ledger
/// leaves out the references of the payouts before it (warm-up, probes, earlier scenarios), so its
/// checks count only its own payouts.
/// </summary>
internal sealed class SharedDeployment : IAsyncDisposable
{
    /// <summary>How long a reset may wait for every partner breaker to be closed before the deployment is replaced.</summary>
    public static readonly TimeSpan ResetTimeout = TimeSpan.FromSeconds(25);

    private readonly HashSet<string> _earlier = new(StringComparer.Ordinal);
    private LocalDeployment? _current;
    private DeploymentOptions? _options;
    private bool _shareable;

    /// <summary>How many scenarios ran on <see cref="Current"/> before the one just acquired.</summary>
    public int EarlierScenarios { get; private set; }

    public LocalDeployment Current => _current ?? throw new InvalidOperationException("No deployment acquired yet.");

    /// <summary>
    /// The ledger for the acquired scenario: the simulators' executions, without the references of the payouts before it.
    /// A fresh deployment's own ledger (in process or over HTTP, <c>&lt;p&gt;-freeze</c>) already leaves out its warm-up.
    /// </summary>
    public IPartnerLedger Ledger => EarlierScenarios == 0
        ? Current.Ledger
        : new SimulatorLedger(Current.Ycb, Current.Prb, Current.SilkPay) { Excluded = new HashSet<string>(_earlier, StringComparer.Ordinal) };

    /// <summary>
    /// The deployment for the next scenario: the current one, reset, when it and the previous scenario are
    /// <paramref name="shareable"/> with equal <paramref name="options"/>; otherwise a fresh one.
    /// </summary>
    public async Task<LocalDeployment> AcquireAsync(DeploymentOptions options, bool shareable, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        if (_current is { } current && shareable && _shareable && _options is { } previous && SameShape(options, previous))
        {
            if (await ResetAsync(current, cancellationToken) is { } took)
            {
                EarlierScenarios++;
                output.WriteLine(FormattableString.Invariant($"   deployment shared with the {EarlierScenarios} scenario(s) before (reset in {took.TotalSeconds:0.0} s)"));
                return current;
            }

            output.WriteLine(FormattableString.Invariant($"   a partner breaker still not closed {ResetTimeout.TotalSeconds:0} s after the previous scenario: fresh deployment"));
        }

        await ReleaseAsync();
        _current = await LocalDeployment.StartAsync(options, cancellationToken);
        _options = options;
        _shareable = shareable;
        EarlierScenarios = 0;
        if (_current.Ledger is SimulatorLedger { Excluded: var warmedUp })
        {
            _earlier.UnionWith(warmedUp);
        }

        return _current;
    }

    /// <summary>Records the payouts of the scenario just run, so the next scenario's ledger leaves them out.</summary>
    public void Ran(IEnumerable<string> payoutIds) => _earlier.UnionWith(payoutIds);

    public async ValueTask DisposeAsync() => await ReleaseAsync();

    private async Task ReleaseAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
        }

        _current = null;
        _options = null;
        _earlier.Clear();
    }

    /// <summary>Back to the state a fresh deployment starts in; the time it took, or null when the breakers did not all close in time.</summary>
    private async Task<TimeSpan?> ResetAsync(LocalDeployment deployment, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        deployment.Ycb.ClearBehaviours();
        deployment.Prb.ClearBehaviours();
        deployment.SilkPay.ClearBehaviours();
        foreach (var partner in PartnerNames.All)
        {
            deployment.PartnerProxy(partner)?.ClearFaults();
        }

        using var http = new HttpClient { BaseAddress = deployment.GatewayUrl, Timeout = TimeSpan.FromSeconds(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", LocalDeployment.OnCallKey);
        while (TimeProvider.System.GetElapsedTime(started) < ResetTimeout)
        {
            if (await AllClosedAsync(http, cancellationToken))
            {
                return TimeProvider.System.GetElapsedTime(started);
            }

            // A breaker opens to half-open only on a call after its pause: probe payouts (left out of the ledger), then read again.
            _earlier.UnionWith(await PartnerWarmUp.RunAsync(deployment.Clients(TimeSpan.FromSeconds(10)), cancellationToken));
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        return null;
    }

    /// <summary>Equal options, the gateway settings compared by content (a record compares the dictionary by reference).</summary>
    internal static bool SameShape(DeploymentOptions a, DeploymentOptions b) =>
        a with { Settings = b.Settings } == b
        && a.Settings.Count == b.Settings.Count
        && a.Settings.All(setting => b.Settings.TryGetValue(setting.Key, out var value) && value == setting.Value);

    private static async Task<bool> AllClosedAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var json = await http.GetFromJsonAsync<JsonDocument>(new Uri(BreakerSampler.Path, UriKind.Relative), cancellationToken);
            return json is not null && json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("partners", out var partners) && partners.ValueKind == JsonValueKind.Array
                && partners.GetArrayLength() == PartnerNames.All.Count
                && partners.EnumerateArray().All(p => p.ValueKind == JsonValueKind.Object
                    && p.TryGetProperty("circuit", out var circuit) && circuit.ValueKind == JsonValueKind.String && circuit.GetString() == "closed");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return false;
        }
    }
}
