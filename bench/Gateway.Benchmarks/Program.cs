using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Gateway.Benchmarks.Storage;

namespace Gateway.Benchmarks;

/// <summary>
/// Runs the benchmarks BenchmarkDotNet's command line selects (<c>--filter '*'</c>). Without a
/// <c>--job</c> argument every benchmark runs BenchmarkDotNet's ShortRun job (1 launch, 3 warm-up
/// and 3 measured iterations), so a full run stays within a few minutes on 2 cores.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var config = DefaultConfig.Instance;
        if (!args.Any(a => a.StartsWith("--job", StringComparison.Ordinal) || a == "-j"))
        {
            config = config.AddJob(Job.ShortRun.WithId("ShortRun"));
        }

        var types = typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsPublic: true, IsAbstract: false } && t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false)))
            .ToList();
        if (!RedisServer.IsInstalled)
        {
            Console.WriteLine($"Skipping {nameof(IdempotencyClaimBenchmarks)}: redis-server is not on PATH (install it: apt-get install -y redis-server).");
            types.Remove(typeof(IdempotencyClaimBenchmarks));
        }

        var summaries = BenchmarkSwitcher.FromTypes([.. types]).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
