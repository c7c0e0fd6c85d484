using System.Globalization;
using System.Text;
using LoadDriver.Api;
using LoadDriver.Deployment;
using LoadDriver.Ledger;
using LoadDriver.Reports;
using LoadDriver.Runs;
using LoadSuite;
using Orchestration;

// The load suite: by default its own redis-server + ycb simulator + gateway (as ./sandbox), a
// warm-up, a steady open-model phase, a drain until every payout is final, the correctness
// checks, and a report. Exit code: 0 correct, 1 a correctness violation, 2 a usage or setup error.
// Speed never changes the exit code.
Console.OutputEncoding = Encoding.UTF8;
SuiteArguments arguments;
try
{
    arguments = SuiteArguments.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + SuiteArguments.Usage);
    return 2;
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
    GatewayClient client;
    IPartnerLedger ledger;
    string target;
    if (arguments.Target is { } url)
    {
        client = new GatewayClient(url, arguments.ApiKey!, options.RequestTimeout);
        ledger = httpLedger = new HttpLedger(arguments.YcbUrl!, exclusive: false);
        target = $"a gateway already running at {url}, ycb simulator at {arguments.YcbUrl}";
    }
    else
    {
        var dll = arguments.GatewayDll ?? RepositoryLayout.GatewayDll();
        Console.WriteLine("Starting redis-server, the ycb simulator and the gateway...");
        deployment = await LocalDeployment.StartAsync(new DeploymentOptions { GatewayDll = dll }, cancel.Token);
        client = deployment.Client(options.RequestTimeout);
        ledger = deployment.Ledger;
        target = $"own deployment: gateway {deployment.GatewayUrl} (dotnet Gateway.dll, Release, child process), " +
            $"redis-server {deployment.Redis.Endpoint} (AOF, appendfsync always), ycb simulator {deployment.Ycb.Url} (in the driver's process; partner attempt timeout {DeploymentOptions.DefaultSettings["Partners__ycb__Timeout"]}, slow answers after 3 s)";
    }

    using (client)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Load: warm-up {options.Warmup.TotalSeconds:0.#} s, then {options.Rate:0.##}/s for {options.Duration.TotalSeconds:0.#} s, mix {options.Mix}; then drain (at most {options.ResolveTimeout.TotalSeconds:0} s)..."));
        if (deployment is not null)
        {
            Console.WriteLine($"Logs (redis.log, gateway.log) in {deployment.Folder}");
        }

        var result = await new LoadRun(client, ledger).RunAsync(options, cancellationToken: cancel.Token);
        var report = new LoadReport(result, MachineInfo.Current(), target, arguments.Note);
        Console.WriteLine();
        Console.WriteLine(report.Markdown());
        var folder = arguments.ReportsFolder ?? Path.Combine(RepositoryLayout.Root(), "load", "reports");
        var name = "load-" + result.StartedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        Console.WriteLine($"Report written to {report.Write(folder, name)} (and {name}-post-latency.hgrm beside it).");
        return result.Correct ? 0 : 1;
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
