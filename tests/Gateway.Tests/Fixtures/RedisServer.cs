using Orchestration;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A real redis-server (Orchestration's <see cref="RedisProcess"/>: free loopback port, AOF on)
/// in a temporary folder, started by the test run and stopped at its end, with <see cref="Databases"/> databases so
/// each test gateway can have its own. <see cref="StopAsync"/>/<see cref="StartAsync"/> take it
/// down and bring it back on the same port with the same data, for outage tests.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly RedisProcess _redis;

    private RedisServer(string directory, RedisProcess redis)
    {
        _directory = directory;
        _redis = redis;
    }

    /// <summary>Databases the server is started with: one per gateway test class of the run, with room to spare.</summary>
    public const int Databases = 256;

    public int Port => _redis.Port;

    public string ConnectionString => $"{_redis.Endpoint},abortConnect=false";

    /// <param name="arguments">More redis-server arguments, such as <c>--maxmemory-policy allkeys-lru</c>.</param>
    public static async Task<RedisServer> StartNewAsync(params string[] arguments)
    {
        RequireInstalled();
        var directory = Directory.CreateTempSubdirectory("gateway-redis-").FullName;
        return new RedisServer(directory, await RedisProcess.StartNewAsync(directory, ["--databases", Databases.ToString(System.Globalization.CultureInfo.InvariantCulture), "--loglevel", "warning", .. arguments]));
    }

    public Task StartAsync() => _redis.StartAsync();

    public Task StopAsync() => _redis.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    internal static void RequireInstalled()
    {
        try
        {
            _ = ChildProcess.Which("redis-server");
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException(
                "redis-server is not installed. The tests need a real Redis: run ./test, which installs it.", ex);
        }
    }
}
