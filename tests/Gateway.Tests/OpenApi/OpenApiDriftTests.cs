using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.OpenApi;

/// <summary>
/// The served <c>/openapi/v1.json</c> equals the committed <c>openapi.json</c> (compared as
/// JSON: member order and whitespace aside), so a change to the API shows up in review as a
/// change to that file. <c>UPDATE_OPENAPI=1</c> rewrites the file instead of failing.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenApiDriftTests(RedisFixture redis, OpenApiDriftTests.Harness harness) : IClassFixture<OpenApiDriftTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task OpenApi_ServedDocument_MatchesTheCommittedCopy()
    {
        var response = await _gateway.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        if (CommittedDocument.UpdateRequested)
        {
            CommittedDocument.Write(served);
            return;
        }

        var committed = CommittedDocument.Read();
        Assert.True(committed is not null && JsonNode.DeepEquals(served, committed),
            $"The served /openapi/v1.json differs from the committed {CommittedDocument.Path}"
            + (committed is null ? " (missing)" : string.Empty)
            + ". If the API change is intended, regenerate the copy and commit it:\n"
            + $"  {CommittedDocument.UpdateVariable}=1 dotnet test tests/Gateway.Tests -c Release --filter \"FullyQualifiedName~OpenApiDriftTests\"");
    }

    public sealed class Harness : YcbHarness;
}
