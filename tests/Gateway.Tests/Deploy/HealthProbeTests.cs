using Gateway.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestration;

namespace Gateway.Tests.Deploy;

/// <summary>
/// <c>Gateway --health URL</c>, the containers' healthcheck (the aspnet image has no curl):
/// exit code 0 on a 2xx answer, 1 on anything else.
/// </summary>
public sealed class HealthProbeTests
{
    [Fact]
    public async Task Probe_EndpointAnswering200_ExitsZero()
    {
        await using var backend = await StartBackendAsync();

        Assert.Equal(0, await Probe($"{backend.Url}health/ready"));
    }

    [Fact]
    public async Task Probe_EndpointAnswering503_ExitsOne()
    {
        await using var backend = await StartBackendAsync();

        Assert.Equal(1, await Probe($"{backend.Url}unavailable"));
    }

    [Fact]
    public async Task Probe_ClosedPort_ExitsOne()
    {
        Assert.Equal(1, await Probe($"http://127.0.0.1:{ChildProcess.FreePort()}/health/ready"));
    }

    [Fact]
    public async Task Probe_AnswerSlowerThanTheTimeout_ExitsOne()
    {
        await using var backend = await StartBackendAsync();

        using var output = new StringWriter();
        Assert.Equal(1, await new HealthProbe(TimeSpan.FromMilliseconds(200)).CheckAsync($"{backend.Url}slow", output));
    }

    [Fact]
    public async Task RunAsync_ExitsZeroOnlyWhenEveryUrlAnswers2xx()
    {
        await using var backend = await StartBackendAsync();

        Assert.True(HealthProbe.IsRequested(["--health", backend.Url]));
        Assert.False(HealthProbe.IsRequested(["--urls", backend.Url]));
        Assert.Equal(0, await HealthProbe.RunAsync(["--health", $"{backend.Url}health/ready", $"{backend.Url}health/ready"]));
        Assert.Equal(1, await HealthProbe.RunAsync(["--health", $"{backend.Url}health/ready", $"{backend.Url}unavailable"]));
        Assert.Equal(1, await HealthProbe.RunAsync(["--health"]));
        Assert.Equal(1, await HealthProbe.RunAsync(["--health", "not a url"]));
    }

    private static async Task<int> Probe(string url)
    {
        using var output = new StringWriter();
        var exitCode = await new HealthProbe(HealthProbe.DefaultTimeout).CheckAsync(url, output);
        Assert.Contains(url, output.ToString(), StringComparison.Ordinal);
        return exitCode;
    }

    private static Task<FakeBackend> StartBackendAsync() => FakeBackend.StartAsync(app =>
    {
        app.MapGet("/health/ready", () => Results.Text("Healthy"));
        app.MapGet("/unavailable", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/slow", async (CancellationToken aborted) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), aborted);
            return Results.Text("late");
        });
    });
}
