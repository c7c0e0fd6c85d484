using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Partners.Chaos;

/// <summary>The ycb harness in Staging with <c>Chaos</c> settings of a test class's own.</summary>
public abstract class ChaosHarness(IReadOnlyDictionary<string, string?> chaos) : YcbHarness
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["environment"] = "Staging";
        foreach (var (key, value) in chaos)
        {
            settings[key] = value;
        }
    }
}

/// <summary>Every call to ycb fails with an injected refused connection.</summary>
public sealed class ChaosFaultHarness() : ChaosHarness(new Dictionary<string, string?>
{
    ["Chaos:Enabled"] = "true",
    ["Chaos:Partners:ycb:FaultRate"] = "1.0",
});

/// <summary>Every disbursement to ycb is answered 503 by the gateway itself; inquiries reach ycb.</summary>
public sealed class ChaosOutcomeHarness() : ChaosHarness(new Dictionary<string, string?>
{
    ["Chaos:Enabled"] = "true",
    ["Chaos:Partners:ycb:OutcomeRate"] = "1.0",
    ["Chaos:Partners:ycb:OutcomeStatus"] = "503",
    ["Chaos:Partners:ycb:Inquiries"] = "false",
});

/// <summary>Every ycb inquiry is delayed 3 s, past ycb's 1 s attempt timeout; disbursements are untouched.</summary>
public sealed class ChaosLatencyHarness() : ChaosHarness(new Dictionary<string, string?>
{
    ["Chaos:Enabled"] = "true",
    ["Chaos:Partners:ycb:LatencyRate"] = "1.0",
    ["Chaos:Partners:ycb:Latency"] = "00:00:03",
    ["Chaos:Partners:ycb:Disbursements"] = "false",
    ["Payouts:SyncBudget"] = "00:00:05",
});

/// <summary>Rates set but <c>Chaos:Enabled</c> left at its default: nothing is injected.</summary>
public sealed class ChaosOffHarness() : ChaosHarness(new Dictionary<string, string?>
{
    ["Chaos:Partners:ycb:FaultRate"] = "1.0",
});
