using ChaosSuite.Scenarios;
using ChaosSuite.Scenarios.Partners;
using LoadDriver.Payouts;
using LoadDriver.Runs;

namespace ChaosSuite;

/// <summary>
/// A scenario's load options: the suite's, with a run id of its own (its idempotency keys and loan ids never meet
/// another scenario's on a shared deployment) and its mix: <c>--mix</c> when given, else the scenario's
/// <see cref="IChaosScenario.SuggestedMix"/> (a partner fault's: most traffic to that partner), else the load suite's default.
/// </summary>
internal static class ScenarioMix
{
    public const string DefaultLabel = "default";

    /// <summary>The options and a label of the mix for the reports (<c>--mix …</c>, <c>suggested …</c> or <see cref="DefaultLabel"/>).</summary>
    public static (LoadOptions Options, string Label) For(IChaosScenario scenario, ChaosArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(arguments);
        var options = arguments.Options with { RunId = Guid.NewGuid().ToString("N")[..12] };
        if (arguments.Mix is { } given)
        {
            return (options, "--mix " + given);
        }

        return scenario.SuggestedMix is { } suggested
            ? (options with { Mix = PayoutMix.Parse(suggested) }, "suggested " + suggested)
            : (options, DefaultLabel);
    }
}
