using System.Diagnostics;
using System.Globalization;
using ChaosSuite.Scenarios;
using ChaosSuite.Scenarios.Partners;
using LoadDriver.Api;
using LoadDriver.Deployment;
using LoadDriver.Reports;
using LoadDriver.Runs;
using LoadDriver.Timeline;

namespace ChaosSuite;

/// <summary>
/// Runs one scenario on its lane's deployment: acquire (shared and reset, or fresh), steady load with the fault,
/// drain, checks, the verdict, and the reports. Everything it prints goes to the given writer.
/// </summary>
internal sealed class ScenarioRunner(ChaosArguments arguments, string gatewayDll, string reportsFolder, string stamp, MachineInfo machine)
{
    private readonly FaultTiming _timing = new(arguments.FaultAfter, arguments.FaultFor);

    /// <summary>Runs <paramref name="scenario"/>; <paramref name="lane"/> (e.g. "lane 2") labels its header when lanes run side by side.</summary>
    public async Task<VerdictRow> RunAsync(IChaosScenario scenario, SharedDeployment shared, TextWriter output, string? lane = null)
    {
        output.WriteLine();
        output.WriteLine($"== {(lane is null ? "" : $"[{lane}] ")}{scenario.Name}: {scenario.Description}");
        if (scenario.PendingReason is { } pending)
        {
            output.WriteLine($"   pending, not run: {pending}");
            return VerdictRow.Pending(scenario, pending);
        }

        // The partner scenarios (SharesDeployment) share their lane's deployment (one gateway, fault proxies in front of the simulators,
        // pass-through for the simulator faults), reset between them; every other scenario gets its own (SharedDeployment).
        var scenarioWall = Stopwatch.StartNew();
        var deployment = await shared.AcquireAsync(
            scenario.Deployment(new DeploymentOptions { GatewayDll = gatewayDll, PartnerProxies = scenario.SharesDeployment || scenario is IPartnerScenario { NeedsPartnerProxies: true } }),
            scenario.SharesDeployment, output);
        var ready = scenarioWall.Elapsed;
        var clients = deployment.Clients(arguments.Options.RequestTimeout);
        using var disposeClients = new ClientsLease(clients);
        output.WriteLine($"   logs (redis.log, gateway*.log) in {deployment.Folder}");
        var log = new FaultLog(TimeProvider.System, output);
        var timing = scenario.Timing(_timing);
        var plan = scenario.Plan(deployment, timing, log);
        // Its own run id (its own idempotency keys and loan ids, the deployment may be shared) and its mix:
        // --mix when given, else a partner scenario's suggested mix (most traffic to the partner at fault), else the default.
        var (options, mix) = ScenarioMix.For(scenario, arguments);
        options = scenario.Load(options with { AwaitRecovery = ChaosArguments.AwaitRecovery(scenario.RecoveryBound) });
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   load {options.Rate:0.##}/s for {options.Duration.TotalSeconds:0.#} s (after {options.Warmup.TotalSeconds:0.#} s warm-up); fault {timing.After.TotalSeconds:0.#} s into it for {timing.For.TotalSeconds:0.#} s; mix {mix}{(options.DuplicateReach == 1 ? ", duplicates of the latest payout" : "")}"));
        LoadRunResult result;
        BreakerRecord breakers;
        await using (var sampler = new BreakerSampler(deployment.GatewayUrl, LocalDeployment.OnCallKey))
        {
            sampler.Start();
            result = await new LoadRun(new GatewayTargets(clients), shared.Ledger).RunAsync(options, plan.Policy, plan.Hooks);
            breakers = await sampler.StopAsync();
        }

        var ran = scenarioWall.Elapsed;
        shared.Ran(result.Payouts.Select(p => p.PayoutId).OfType<string>());

        var sharing = shared.EarlierScenarios == 0 ? "own deployment" : $"deployment shared with the {shared.EarlierScenarios} partner scenario(s) before, reset";
        var target = $"{sharing} ({deployment.Gateways.Count} gateway(s) from {deployment.GatewayUrl}, redis-server {deployment.Redis.Endpoint} AOF, ycb simulator {deployment.SimulatorUrl("ycb")})";
        var written = RunReports.Write(reportsFolder, $"chaos-{stamp}-{scenario.Name}", result, machine, target, arguments.Note, RunThresholds.None,
            breakers, log.Windows(), [$"Fault: {scenario.Description}", $"Mix: {mix}", .. log.Lines()]);
        var path = written.Markdown;
        File.AppendAllLines(path, ["", $"## Fault: {scenario.Description}", "", .. log.Lines().Select(l => "- " + l)]);
        foreach (var check in result.Checks)
        {
            Print(output, check.Passed, check.Name, check.Detail, check.Examples);
        }

        var parts = ChaosVerdict.Judge(result, scenario.RecoveryBound);
        foreach (var part in parts)
        {
            Print(output, part.Held, part.Name, part.Detail, part.Examples);
        }

        File.AppendAllLines(path, ["", "## Verdict", "", .. parts.Select(p => $"- {(p.Held ? "pass" : "FAIL")} {p.Name}: {p.Detail}"),
            .. parts.SelectMany(p => p.Examples).Select(e => "  - " + e)]);
        output.WriteLine($"   report: {path}");
        output.WriteLine($"   html: {written.Html}, json: {written.Json}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   took {scenarioWall.Elapsed.TotalSeconds:0.0} s: deployment {ready.TotalSeconds:0.0} s, load and drain {(ran - ready).TotalSeconds:0.0} s (drain {result.DrainTook.TotalSeconds:0.0} s)"));
        return VerdictRow.From(scenario, result, parts, mix);
    }

    private static void Print(TextWriter output, bool held, string name, string detail, IEnumerable<string> examples)
    {
        output.WriteLine($"   {(held ? "pass" : "FAIL")}  {name}: {detail}");
        foreach (var example in examples)
        {
            output.WriteLine($"         {example}");
        }
    }
}
