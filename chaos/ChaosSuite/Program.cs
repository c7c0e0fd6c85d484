using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ChaosSuite;
using LoadDriver.Api;
using ChaosSuite.Scenarios;
using ChaosSuite.Scenarios.Partners;
using LoadDriver.Deployment;
using LoadDriver.Reports;
using LoadDriver.Runs;
using LoadDriver.Timeline;
using Orchestration;

// The chaos suite: each scenario gets a redis-server + the three simulators + gateway(s) (the partner scenarios share one, reset between them), a steady
// open-model load, one fault in the middle of it, a drain, and the correctness checks.
// Exit code: 0 every scenario correct, 1 a correctness violation, 2 a usage or setup error.
Console.OutputEncoding = Encoding.UTF8;
if (ChaosArguments.Read(args, Console.Out, Console.Error, out var exitCode) is not { } arguments)
{
    return exitCode;
}

var wall = Stopwatch.StartNew();
IChaosScenario[] all =
[
    new PartnerDownScenario(),
    new PartnerSlowScenario(),
    new RedisKillScenario(),
    new RedisFreezeScenario(),
    new RedisLatencyScenario(),
    new RedisBlackholeScenario(),
    new RedisDataLostScenario(),
    new GatewayKillScenario(),
    new GatewayKillMultiScenario(),
    new GatewaySigtermScenario(),
    .. PartnerScenarios.All, // <partner>-{5xx-storm,429-storm,malformed,hang,latency,reset,blackhole,half-open}
    .. PartnerScenarios.Freezes, // <partner>-freeze: its simulator process SIGSTOPped (simulators out of process)
];
var unknown = arguments.Scenarios.Where(n => all.All(s => s.Name != n)).ToList();
if (unknown.Count > 0)
{
    await Console.Error.WriteLineAsync($"unknown scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", all.Select(s => s.Name))}");
    return 2;
}

// The scenarios with their own deployment first, then those that share one, so they run one after the other on it (order otherwise kept).
var chosen = (arguments.Scenarios.Count == 0 ? all : all.Where(s => arguments.Scenarios.Contains(s.Name)))
    .OrderBy(s => s.SharesDeployment).ToArray();
var timing = new FaultTiming(arguments.FaultAfter, arguments.FaultFor);
var machine = MachineInfo.Current();
var folder = arguments.ReportsFolder ?? Path.Combine(RepositoryLayout.Root(), "chaos", "reports");
var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
var verdicts = new List<VerdictRow>();
try
{
    var dll = arguments.GatewayDll ?? RepositoryLayout.GatewayDll();
    await using var shared = new SharedDeployment();
    foreach (var scenario in chosen)
    {
        Console.WriteLine();
        Console.WriteLine($"== {scenario.Name}: {scenario.Description}");
        if (scenario.PendingReason is { } pending)
        {
            Console.WriteLine($"   pending, not run: {pending}");
            verdicts.Add(VerdictRow.Pending(scenario, pending));
            continue;
        }

        // The partner scenarios (SharesDeployment) share one deployment (one gateway, fault proxies in front of the simulators,
        // pass-through for the simulator faults), reset between them; every other scenario gets its own (SharedDeployment).
        var scenarioWall = Stopwatch.StartNew();
        var deployment = await shared.AcquireAsync(
            scenario.Deployment(new DeploymentOptions { GatewayDll = dll, PartnerProxies = scenario.SharesDeployment || scenario is IPartnerScenario { NeedsPartnerProxies: true } }),
            scenario.SharesDeployment, Console.Out);
        var ready = scenarioWall.Elapsed;
        var clients = deployment.Clients(arguments.Options.RequestTimeout);
        using var disposeClients = new ClientsLease(clients);
        Console.WriteLine($"   logs (redis.log, gateway*.log) in {deployment.Folder}");
        var log = new FaultLog(TimeProvider.System);
        var plan = scenario.Plan(deployment, timing, log);
        // Its own run id (its own idempotency keys and loan ids, the deployment may be shared) and its mix:
        // --mix when given, else a partner scenario's suggested mix (most traffic to the partner at fault), else the default.
        var (options, mix) = ScenarioMix.For(scenario, arguments);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   load {options.Rate:0.##}/s for {options.Duration.TotalSeconds:0.#} s (after {options.Warmup.TotalSeconds:0.#} s warm-up); fault {timing.After.TotalSeconds:0.#} s into it for {timing.For.TotalSeconds:0.#} s; mix {mix}"));
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
        var written = RunReports.Write(folder, $"chaos-{stamp}-{scenario.Name}", result, machine, target, arguments.Note, RunThresholds.None,
            breakers, log.Windows(), [$"Fault: {scenario.Description}", $"Mix: {mix}", .. log.Lines()]);
        var path = written.Markdown;
        File.AppendAllLines(path, ["", $"## Fault: {scenario.Description}", "", .. log.Lines().Select(l => "- " + l)]);
        foreach (var check in result.Checks)
        {
            Console.WriteLine($"   {(check.Passed ? "pass" : "FAIL")}  {check.Name}: {check.Detail}");
            foreach (var example in check.Examples)
            {
                Console.WriteLine($"         {example}");
            }
        }

        var parts = ChaosVerdict.Judge(result, scenario.RecoveryBound);
        foreach (var part in parts)
        {
            Console.WriteLine($"   {(part.Held ? "pass" : "FAIL")}  {part.Name}: {part.Detail}");
            foreach (var example in part.Examples)
            {
                Console.WriteLine($"         {example}");
            }
        }

        File.AppendAllLines(path, ["", "## Verdict", "", .. parts.Select(p => $"- {(p.Held ? "pass" : "FAIL")} {p.Name}: {p.Detail}"),
            .. parts.SelectMany(p => p.Examples).Select(e => "  - " + e)]);
        Console.WriteLine($"   report: {path}");
        Console.WriteLine($"   html: {written.Html}, json: {written.Json}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   took {scenarioWall.Elapsed.TotalSeconds:0.0} s: deployment {ready.TotalSeconds:0.0} s, load and drain {(ran - ready).TotalSeconds:0.0} s (drain {result.DrainTook.TotalSeconds:0.0} s)"));
        verdicts.Add(VerdictRow.From(scenario, result, parts, mix));
    }
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException)
{
    await Console.Error.WriteLineAsync($"Chaos suite could not run: {ex.Message}");
    return 2;
}

Console.WriteLine();
Console.WriteLine(VerdictRow.Table(verdicts));
var summary = Path.Combine(folder, $"chaos-{stamp}-summary.json");
Directory.CreateDirectory(folder);
File.WriteAllText(summary, JsonSerializer.Serialize(new { smoke = arguments.Smoke, wallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 1), scenarios = verdicts },
    new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"summary: {summary}");
var violated = verdicts.Any(v => v.Passed == false);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Chaos suite{(arguments.Smoke ? " (smoke)" : "")}: {verdicts.Count} scenario(s) in {wall.Elapsed.TotalSeconds:0.0} s wall time."));
Console.WriteLine(violated ? "Chaos suite: A SCENARIO FAILED (see above)." : "Chaos suite: every scenario passed.");
return violated ? 1 : 0;
