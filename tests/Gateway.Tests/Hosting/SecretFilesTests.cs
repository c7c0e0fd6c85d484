using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Hosting;

/// <summary>
/// Secrets as files (<c>Secrets:Directory</c>, as Docker and Kubernetes mount them): a client key
/// that exists only as a file authenticates, and a mounted file wins over the environment.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SecretFilesTests(RedisFixture redis)
{
    [Fact]
    public async Task AKeyMountedAsAFile_Authenticates_AndAFileWinsOverTheEnvironment()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-secrets-").FullName;
        try
        {
            const string FileKey = "file-mounted-key-not-secret-0001";
            const string FileOpsKey = "file-mounted-ops-key-not-secret-02";
            await File.WriteAllTextAsync(Path.Combine(folder, "Auth__ApiKeys__file-lender"), FileKey + "\n");
            await File.WriteAllTextAsync(Path.Combine(folder, $"Auth__OpsKeys__{GatewayFactory.OnCall}"), FileOpsKey);
            var settings = GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), "http://127.0.0.1:1");
            settings["Secrets:Directory"] = folder;
            await using var gateway = await GatewayProcesses.StartAsync(settings);

            using var fromFile = gateway.ClientFor(FileKey);
            Assert.Equal(HttpStatusCode.NotFound, (await fromFile.GetAsync("/v1/payouts/po_aaaaaaaaaaaaaaaaaaaaaaaaaa")).StatusCode);
            using var fileOps = gateway.ClientFor(FileOpsKey);
            Assert.Equal(HttpStatusCode.OK, (await fileOps.GetAsync("/v1/diagnostics/partners")).StatusCode);
            using var replacedOps = gateway.ClientFor(GatewayFactory.OpsKey);
            Assert.Equal(HttpStatusCode.Unauthorized, (await replacedOps.GetAsync("/v1/diagnostics/partners")).StatusCode);
            Assert.DoesNotContain(FileKey, gateway.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
