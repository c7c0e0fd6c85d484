using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ChaosSuite;
using LoadDriver.Reports;
using Orchestration;

// The chaos suite: each scenario gets a redis-server + the three simulators + gateway(s) (the partner scenarios of a lane share one, reset between them), a steady
// open-model load, one fault in the middle of it, a drain, and the correctness checks.
// Exit code: 0 every scenario correct, 1 a correctness violation, 2 a usage or setup error.
Console.OutputEncoding = Encoding.UTF8;
if (ChaosArguments.Read(args, Console.Out, Console.Error, out var exitCode) is not { } arguments)
{
    return exitCode;
}

var wall = Stopwatch.StartNew();
var all = ScenarioCatalog.All();
var unknown = arguments.Scenarios.Where(n => all.All(s => s.Name != n)).ToList();
if (unknown.Count > 0)
{
    await Console.Error.WriteLineAsync($"unknown scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", all.Select(s => s.Name))}");
    return 2;
}

// The scenarios with their own deployment first, then those that share one, so they run one after the other on it (order otherwise kept).
var chosen = (arguments.Scenarios.Count == 0 ? all : all.Where(s => arguments.Scenarios.Contains(s.Name)))
    .OrderBy(s => s.SharesDeployment).ToArray();
var machine = MachineInfo.Current();
var folder = arguments.ReportsFolder ?? Path.Combine(RepositoryLayout.Root(), "chaos", "reports");
var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
var lanes = Lanes.Assign(chosen, arguments.Lanes);
var rows = new VerdictRow?[chosen.Length];
var printing = new Lock();
try
{
    var runner = new ScenarioRunner(arguments, arguments.GatewayDll ?? RepositoryLayout.GatewayDll(), folder, stamp, machine);
    if (lanes.Count > 1)
    {
        Console.WriteLine($"{chosen.Length} scenario(s) in {lanes.Count} lanes side by side, each on deployments of its own; a scenario's output is printed when it ends:");
        for (var lane = 0; lane < lanes.Count; lane++)
        {
            Console.WriteLine($"  lane {lane + 1}: {string.Join(", ", lanes[lane].Select(s => s.Name))}");
        }
    }

    // One lane: the output as it happens. Several: each scenario's output in one piece when it ends, so lanes do not interleave.
    await Task.WhenAll(lanes.Select((scenarios, lane) => Task.Run(async () =>
    {
        await using var shared = new SharedDeployment();
        foreach (var scenario in scenarios)
        {
            var buffer = lanes.Count > 1 ? new StringWriter(CultureInfo.InvariantCulture) : null;
            var output = buffer is null ? Console.Out : TextWriter.Synchronized(buffer);
            try
            {
                rows[Array.IndexOf(chosen, scenario)] = await runner.RunAsync(scenario, shared, output, lanes.Count > 1 ? $"lane {lane + 1}" : null);
            }
            finally
            {
                if (buffer is not null)
                {
                    lock (printing)
                    {
                        Console.Write(buffer.ToString());
                    }
                }
            }
        }
    })));
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException)
{
    await Console.Error.WriteLineAsync($"Chaos suite could not run: {ex.Message}");
    return 2;
}

var verdicts = rows.OfType<VerdictRow>().ToList();
Console.WriteLine();
Console.WriteLine(VerdictRow.Table(verdicts));
var summary = Path.Combine(folder, $"chaos-{stamp}-summary.json");
Directory.CreateDirectory(folder);
File.WriteAllText(summary, JsonSerializer.Serialize(new { smoke = arguments.Smoke, wallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 1), lanes = lanes.Count, scenarios = verdicts },
    new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"summary: {summary}");
var violated = verdicts.Any(v => v.Passed == false);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Chaos suite{(arguments.Smoke ? " (smoke)" : "")}: {verdicts.Count} scenario(s) in {wall.Elapsed.TotalSeconds:0.0} s wall time."));
Console.WriteLine(violated ? "Chaos suite: A SCENARIO FAILED (see above)." : "Chaos suite: every scenario passed.");
return violated ? 1 : 0;
