using LoadDriver.Timeline;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Load.Tests.Reports;

public sealed class BreakerSamplerTests
{
    private const string Key = "on-call-test-key";

    private const string Partners = """
        { "window": "15m", "partners": [ { "partner": "ycb", "circuit": "closed", "attempts": 3 }, { "partner": "prb", "circuit": "open" } ] }
        """;

    [Fact]
    public async Task Samples_EveryPartner_ThenTheServerGoesDown_GapsAndNoException()
    {
        var server = Server();
        await using var sampler = new BreakerSampler(new Uri(server.Urls[0]), Key, interval: TimeSpan.FromMilliseconds(50), maxPolls: 1000);
        sampler.Start();
        await Until(() => sampler.Record().Samples.Count >= 4);

        server.Stop();
        server.Dispose();
        await Until(() => sampler.Record().FailedPolls.Count >= 2);
        var record = await sampler.StopAsync();

        Assert.Contains(record.Samples, s => s is { Partner: "ycb", State: "closed" });
        Assert.Contains(record.Samples, s => s is { Partner: "prb", State: "open" });
        Assert.True(record.FailedPolls.Min() > record.Samples.Min(s => s.At));
    }

    [Fact]
    public async Task Poll_IsBounded_AndAWrongKeyIsAFailedPoll()
    {
        using var server = Server();
        await using var sampler = new BreakerSampler(new Uri(server.Urls[0]), "wrong-key", interval: TimeSpan.FromMilliseconds(10), maxPolls: 3);

        await sampler.PollAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        var record = sampler.Record();
        Assert.Empty(record.Samples);
        Assert.Equal(3, record.FailedPolls.Count);
    }

    [Fact]
    public async Task NoServerAtAll_OnlyFailedPolls()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var sampler = new BreakerSampler(new Uri($"http://127.0.0.1:{port}"), Key, interval: TimeSpan.FromMilliseconds(10), maxPolls: 2);

        await sampler.PollAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(sampler.Record().Samples);
        Assert.Equal(2, sampler.Record().FailedPolls.Count);
    }

    private static WireMockServer Server()
    {
        var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(BreakerSampler.Path).UsingGet().WithHeader("X-Api-Key", Key))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Partners));
        return server;
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
