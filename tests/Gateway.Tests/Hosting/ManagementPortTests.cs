using System.Net;
using Gateway.Tests.Fixtures;
using Orchestration;

namespace Gateway.Tests.Hosting;

/// <summary>
/// <c>Management:Urls</c> moves <c>/metrics</c> and <c>/openapi/v1.json</c> off the public
/// listener onto a management one (and in Development the Scalar page with them); the API and health
/// stay public.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ManagementPortTests(RedisFixture redis)
{
    [Fact]
    public async Task ManagementUrls_ServeMetricsAndOpenApiThereAndNotOnThePublicListener()
    {
        var management = $"http://127.0.0.1:{ChildProcess.FreePort()}";
        var settings = GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), "http://127.0.0.1:1");
        settings["Management:Urls"] = management;
        await using var gateway = await GatewayProcesses.StartAsync(settings);
        using var publicClient = gateway.ClientFor();
        using var managementClient = new HttpClient { BaseAddress = new Uri(management) };

        Assert.Equal(HttpStatusCode.NotFound, (await publicClient.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await publicClient.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await managementClient.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await managementClient.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await publicClient.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await publicClient.GetAsync("/v1/payouts/po_aaaaaaaaaaaaaaaaaaaaaaaaaa")).StatusCode);
    }

    [Fact]
    public async Task ManagementUrls_InDevelopment_ServeTheScalarPageBesideTheDocumentItReads()
    {
        var management = $"http://127.0.0.1:{ChildProcess.FreePort()}";
        var settings = GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), "http://127.0.0.1:1");
        settings["Management:Urls"] = management;
        settings["DOTNET_ENVIRONMENT"] = "Development";
        await using var gateway = await GatewayProcesses.StartAsync(settings);
        using var publicClient = gateway.ClientFor();
        using var managementClient = new HttpClient { BaseAddress = new Uri(management) };

        Assert.Equal(HttpStatusCode.NotFound, (await publicClient.GetAsync("/scalar/v1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await managementClient.GetAsync("/scalar/v1")).StatusCode);
    }

    [Fact]
    public async Task WithoutManagementUrls_MetricsAndOpenApiAreOnThePublicListener()
    {
        var settings = GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), "http://127.0.0.1:1");
        await using var gateway = await GatewayProcesses.StartAsync(settings);
        using var publicClient = gateway.ClientFor();

        Assert.Equal(HttpStatusCode.OK, (await publicClient.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await publicClient.GetAsync("/openapi/v1.json")).StatusCode);
    }
}
