using System.Globalization;
using System.Text;
using LoadDriver.Api;
using LoadDriver.Deployment;
using LoadDriver.Ledger;
using LoadDriver.Ramps;
using LoadDriver.Reports;
using LoadDriver.Runs;
using LoadDriver.Timeline;
using LoadSuite;
using Orchestration;

// The load suite: by default its own redis-server + ycb simulator + gateway (as ./sandbox), a
// warm-up, a steady open-model phase, a drain until every payout is final, the correctness
// checks, and a report (markdown, .hgrm, HTML, JSON). Exit code: 0 correct and every threshold held,
// 1 a correctness violation or a broken --max-p99 / --min-success, 2 a usage or setup error.
// Without thresholds, speed never changes the exit code.
Console.OutputEncoding = Encoding.UTF8;
if (SuiteArguments.Read(args, Console.Out, Console.Error, out var exitCode) is not { } arguments)
{
    return exitCode;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var options = arguments.Options;
LocalDeployment? deployment = null;
HttpLedger? httpLedger = null;
try
{
    var clients = new List<GatewayClient>();
    IPartnerLedger ledger;
    string target;
    if (arguments.Target is { } url)
    {
        clients.Add(new GatewayClient(url, arguments.ApiKey!, options.RequestTimeout));
        ledger = httpLedger = new HttpLedger(arguments.YcbUrl!, exclusive: false);
        target = $"a gateway already running at {url}, ycb simulator at {arguments.YcbUrl}";
    }
    else
    {
        var dll = arguments.GatewayDll ?? RepositoryLayout.GatewayDll();
        var redisText = arguments.Redis == RedisTopology.Cluster ? "a three-primary Redis Cluster" : "redis-server";
        Console.WriteLine($"Starting {redisText}, the ycb, prb and silkpay simulators and {arguments.Instances} gateway(s)...");
        deployment = await LocalDeployment.StartAsync(
            new DeploymentOptions { GatewayDll = dll, Instances = arguments.Instances, Redis = arguments.Redis }, cancel.Token);
        clients.AddRange(deployment.Clients(options.RequestTimeout));
        ledger = deployment.Ledger;
        var gateways = deployment.Gateways.Count == 1
            ? $"gateway {deployment.GatewayUrl} (dotnet Gateway.dll, Release, child process)"
            : $"{deployment.Gateways.Count} gateways {string.Join(", ", deployment.Gateways.Select(g => g.Url.ToString().TrimEnd('/')))} (dotnet Gateway.dll, Release, child processes sharing the Redis; requests round-robin, duplicates to another instance than their original)";
        var redis = deployment.Cluster is null
            ? $"redis-server {deployment.RedisConnection} (AOF, appendfsync always)"
            : $"Redis Cluster of 3 primaries {deployment.RedisConnection} (AOF, appendfsync always on each node)";
        target = $"own deployment: {gateways}, {redis}, simulators ycb {deployment.Ycb.Url}, prb {deployment.Prb.Url}, silkpay {deployment.SilkPay.Url} (in the driver's process; routing order ycb, prb, silkpay; partner attempt timeout {GatewaySettings.PartnerTimeout.TotalSeconds:0.#} s, slow answers after 3 s)";
    }

    try
    {
        var targets = new GatewayTargets(clients);
        if (deployment is not null)
        {
            Console.WriteLine($"Logs (redis, {string.Join(", ", deployment.Gateways.Select(g => Path.GetFileName(g.LogPath)))}) in {deployment.Folder}");
            foreach (var gateway in deployment.Gateways)
            {
                Console.WriteLine($"  {gateway.Name}: {gateway.Url} pid {gateway.ProcessId}");
            }
        }

        var folder = arguments.ReportsFolder ?? Path.Combine(RepositoryLayout.Root(), "load", "reports");
        if (arguments.Ramp is { } ramp)
        {
            return await RampAsync(ramp, targets, ledger, target, folder);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Load over {targets.Count} instance(s): warm-up {options.Warmup.TotalSeconds:0.#} s, then {options.Rate:0.##}/s for {options.Duration.TotalSeconds:0.#} s, mix {options.Mix}; then drain (at most {options.ResolveTimeout.TotalSeconds:0} s)..."));
        // Breaker states for the HTML report: only the suite's own deployment has an on-call key.
        await using var sampler = deployment is null ? null : new BreakerSampler(deployment.GatewayUrl, LocalDeployment.OnCallKey);
        sampler?.Start(cancel.Token);
        var result = await new LoadRun(targets, ledger).RunAsync(options, cancellationToken: cancel.Token);
        var breakers = sampler is null
            ? BreakerRecord.NotSampled("Breaker states not sampled: --target is an external gateway and the suite knows no on-call key for it.")
            : await sampler.StopAsync();
        if (deployment is { Gateways.Count: > 1 })
        {
            breakers = breakers with { Note = "Breaker states as the first gateway instance saw them (each instance has its own breakers)." };
        }

        var machine = MachineInfo.Current();
        var report = new LoadReport(result, machine, target, arguments.Note);
        Console.WriteLine();
        Console.WriteLine(report.Markdown());
        var name = "load-" + result.StartedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var written = RunReports.Write(folder, name, result, machine, target, arguments.Note, arguments.Thresholds, breakers, []);
        foreach (var threshold in written.Thresholds)
        {
            Console.WriteLine($"Threshold {threshold.Name} {threshold.Limit}: {threshold.Actual} -> {(threshold.Held ? "held" : "BROKEN")}");
        }

        Console.WriteLine($"Report written to {written.Markdown} (and {name}-post-latency.hgrm beside it).");
        Console.WriteLine($"HTML report: {written.Html}");
        Console.WriteLine($"JSON summary: {written.Json}");
        Console.WriteLine($"Verdict: {written.Verdict}");
        return written.Passed ? 0 : 1;
    }
    finally
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException or ArgumentException)
{
    await Console.Error.WriteLineAsync($"Load suite could not run: {ex.Message}");
    return 2;
}
finally
{
    httpLedger?.Dispose();
    if (deployment is not null)
    {
        await deployment.DisposeAsync();
    }
}

// A ramp: steps at rising rates until one breaks a threshold; the same drain and checks. The
// saturation point is reported; only correctness sets the exit code.
async Task<int> RampAsync(RampOptions ramp, GatewayTargets targets, IPartnerLedger ledger, string target, string folder)
{
    var growth = ramp.Factor is { } factor ? $"x {factor:0.##}" : $"+ {ramp.Step:0.##}/s";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Ramp: warm-up {ramp.Load.Warmup.TotalSeconds:0.#} s at {ramp.StartRate:0.##}/s, then steps of {ramp.StepDuration.TotalSeconds:0.#} s from {ramp.StartRate:0.##}/s {growth} up to {ramp.MaxRate:0.##}/s until p99 > {ramp.P99Threshold.TotalMilliseconds:0.#} ms, not sent in time > {ramp.LatePercent:0.##} % or errors > {ramp.ErrorPercent:0.##} %; then drain..."));
    var run = new RampRun(targets, ledger)
    {
        StepFinished = (step, next) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  step {step.Number}: {step.TargetRate:0.##}/s -> achieved {step.AchievedRate:0.0}/s, p50 {step.P50.TotalMilliseconds:0.0} ms, p99 {step.P99.TotalMilliseconds:0.0} ms, not sent in time {step.LatePercent:0.##} %, errors {step.ErrorPercent:0.##} %; {(next.Continues ? $"next {next.NextRate:0.##}/s" : "stop: " + next.Reason)}")),
    };
    var result = await run.RunAsync(ramp, cancel.Token);
    var report = new RampReport(result, MachineInfo.Current(), target, arguments.Note);
    Console.WriteLine();
    Console.WriteLine(report.Markdown());
    var name = "ramp-" + result.StartedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
    Console.WriteLine($"Report written to {report.Write(folder, name)}.");
    return result.Correct ? 0 : 1;
}
