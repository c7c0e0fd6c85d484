namespace Gateway.Health;

/// <summary>
/// <c>--health URL [URL...]</c>: one HTTP GET per URL with a short timeout, exit code 0 when every
/// answer is 2xx and 1 otherwise (a non-2xx status, a refused connection, a timeout, a bad URL).
/// It is the container healthcheck of the images built from the Dockerfile, whose ASP.NET base
/// image has no curl or wget. The process does this before it builds any host, so a probe never
/// starts a second gateway. The same file is compiled into the simulators and the balancer.
/// </summary>
internal sealed class HealthProbe(TimeSpan timeout)
{
    public const string Flag = "--health";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Whether the process was started as a probe (<c>args[0] == "--health"</c>).</summary>
    public static bool IsRequested(string[] args) => args.Length > 0 && string.Equals(args[0], Flag, StringComparison.Ordinal);

    /// <summary>Runs the probe mode: the URLs are <c>args[1..]</c>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync($"usage: {Flag} URL [URL...]");
            return 1;
        }

        var probe = new HealthProbe(DefaultTimeout);
        var exitCode = 0;
        foreach (var url in args[1..])
        {
            exitCode = Math.Max(exitCode, await probe.CheckAsync(url, Console.Out));
        }

        return exitCode;
    }

    /// <summary>One GET of <paramref name="url"/>: 0 on a 2xx answer within the timeout, 1 otherwise. One line to <paramref name="output"/>.</summary>
    public async Task<int> CheckAsync(string url, TextWriter output)
    {
        // No proxy: the probe targets this container or a neighbour, never the outside.
        using var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = timeout };
        using var http = new HttpClient(handler) { Timeout = timeout };
        try
        {
            using var response = await http.GetAsync(new Uri(url, UriKind.Absolute), HttpCompletionOption.ResponseHeadersRead);
            var healthy = response.IsSuccessStatusCode;
            await output.WriteLineAsync($"{url}: HTTP {(int)response.StatusCode} {(healthy ? "healthy" : "unhealthy")}");
            return healthy ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            await output.WriteLineAsync($"{url}: unhealthy ({ex.GetType().Name}: {ex.Message})");
            return 1;
        }
    }
}
