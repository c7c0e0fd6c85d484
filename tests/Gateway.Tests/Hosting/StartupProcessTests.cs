using System.Diagnostics;
using System.Text.RegularExpressions;
using Gateway.Tests.Fixtures;
using Orchestration;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The gateway as an operator runs it (<c>dotnet Gateway.dll</c>): bad settings stop it with one
/// readable list of every error on stderr and exit code 1, and the Development configuration
/// (appsettings.Development.json) alone brings it up against a local Redis.
/// </summary>
public sealed partial class StartupProcessTests
{
    [Fact]
    public async Task Start_WithManyBadSettings_ExitsOneListingEachOnceWithoutStackTrace()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings["Partners:ycb:Timeout"] = "5s";
        settings["Partners:ycb:TotalTimeout"] = "10";
        settings["Payouts:SyncBudget"] = "10";
        settings["Payouts:MaxConcurrentSubmissions"] = "lots";
        settings["Recovery:BatchSize"] = "0";
        settings["Auth:OpsKeys:night-shift"] = "short-key";
        settings["Routing:Order"] = "ycb,acme";

        var (exitCode, stderr) = await RunAsync(settings);

        Assert.Equal(1, exitCode);
        Assert.DoesNotMatch(StackFrame(), stderr);
        Assert.DoesNotContain("short-key", stderr, StringComparison.Ordinal);
        foreach (var expected in new[]
        {
            "Partners:ycb:Timeout is '5s', not a duration: use hh:mm:ss",
            "Partners:ycb:TotalTimeout is '10': a bare number is ambiguous",
            "use hh:mm:ss, e.g. 00:00:10",
            "Payouts:SyncBudget is '10'",
            "Payouts:MaxConcurrentSubmissions is 'lots', not a whole number",
            "BatchSize",
            "Auth:OpsKeys:night-shift must be at least 16 characters",
            "Routing:Order names unknown partner 'acme'",
        })
        {
            Assert.True(Regex.Count(stderr, Regex.Escape(expected)) >= 1, $"'{expected}' missing from:\n{stderr}");
        }

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.Equal(lines.Count, lines.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(lines, l => l.Contains("Partners:ycb:Timeout", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("Routing:Order", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_InProductionWithChaosEnabled_ExitsOneWithTheChaosLineAlone()
    {
        var settings = GatewayFactory.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings["Chaos:Enabled"] = "true";
        settings["Chaos:Partners:ycb:FaultRate"] = "0.5";

        var (exitCode, stderr) = await RunAsync(settings);

        Assert.Equal(1, exitCode);
        Assert.DoesNotMatch(StackFrame(), stderr);
        Assert.Contains("- " + Gateway.Partners.Chaos.ChaosOptionsValidator.RefusedInProduction, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.TrimEntries), l => l.StartsWith("- ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_InDevelopmentWithOnlyTheDevelopmentFile_BecomesReady()
    {
        await using var redis = await RedisServer.StartNewAsync();
        // Only the Redis endpoint is overridden (6379 may be taken on a shared machine); everything
        // else comes from appsettings.Development.json beside the binary. The simulators need not run.
        await using var gateway = await GatewayProcesses.StartAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
        });

        using var client = gateway.ClientFor("sandbox-lender-key-not-secret");
        var ready = await client.GetAsync("/health/ready");
        var body = await ready.JsonAsync();

        Assert.True(ready.IsSuccessStatusCode);
        Assert.Equal("Healthy", body.Str("status"));
        Assert.Equal("Healthy", body.Str("entries.redis.status"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/v1/payouts")).StatusCode);
    }

    // Not Orchestration's GatewayProcess on purpose: these runs must exit, and the test reads the exit
    // code and standard error apart from standard output, with no environment name and port 0.
    private static async Task<(int ExitCode, string Stderr)> RunAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Gateway.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the gateway did not exit within 60 s:\n" + await stderr + await stdout);
        }

        _ = await stdout;
        return (process.ExitCode, await stderr);
    }

    [GeneratedRegex(@"^\s+at \S", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
