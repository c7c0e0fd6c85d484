using System.Net;
using Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;

namespace Gateway.Tests.OpenApi;

/// <summary>The Scalar API reference: served in Development, absent elsewhere (the gateway runs as Production).</summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenApiReferencePageTests(RedisFixture redis, OpenApiReferencePageTests.Harness harness) : IClassFixture<OpenApiReferencePageTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task OpenApi_ScalarReference_IsServedInDevelopmentOnly()
    {
        await using var development = _gateway.WithWebHostBuilder(builder => builder.UseEnvironment("Development"));

        using var page = await development.CreateClient().GetAsync("/scalar/v1");
        using var production = await _gateway.CreateClient().GetAsync("/scalar/v1");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(html.Contains("openapi/v1.json", StringComparison.Ordinal), html);
        Assert.Equal(HttpStatusCode.NotFound, production.StatusCode);
    }

    public sealed class Harness : YcbHarness;
}
