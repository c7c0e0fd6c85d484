using System.Net;
using FsCheck.Xunit;
using Gateway.Payouts;
using Gateway.Tests.Fixtures;
using StackExchange.Redis;

namespace Gateway.Tests.Payouts;

/// <summary>
/// Generated requests (<see cref="HostileRequests"/>) sent to the real gateway, with a real Redis
/// and the ycb simulator: never a 5xx; a genuinely valid request is a 201; every other one is a
/// 4xx problem that stored nothing in Redis and sent nothing to ycb.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HostileInputPropertyTests(RedisFixture redis, YcbHarness harness) : IClassFixture<YcbHarness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Property(MaxTest = 200, Arbitrary = new[] { typeof(HostileRequests) })]
    public async Task Submit_AnyGeneratedRequest_IsNever5xxAndStoresNothingWhenRefused(HostileRequest request)
    {
        var key = request.UniqueKey ? Api.NewKey() + "-" + request.Key : request.Key;
        var before = await SnapshotAsync();

        var response = await SendAsync(request, key);

        var status = (int)response.StatusCode;
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(status < 500, $"HTTP {status} {answer}");
        if (request.Valid)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"a valid request got HTTP {status} {answer}");
            Assert.True(await Db.KeyExistsAsync(PayoutKeys.Payout(Ids.Of(GatewayFactory.ClientA, key!))));
            return;
        }

        Assert.True(status is >= 400 and < 500, $"an invalid request got HTTP {status} {answer}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await SnapshotAsync());
        if (key is not null)
        {
            var id = Ids.Of(GatewayFactory.ClientA, key);
            Assert.False(await Db.KeyExistsAsync(PayoutKeys.Payout(id)));
            Assert.Equal(0, harness.Ycb.DisburseRequestCount(id));
        }
    }

    private IDatabase Db => redis.Connection.GetDatabase(harness.Database);

    private async Task<HttpResponseMessage> SendAsync(HostileRequest request, string? key)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/payouts") { Content = new ByteArrayContent(request.Body) };
        if (request.ContentType is not null)
        {
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        if (key is not null)
        {
            Assert.True(message.Headers.TryAddWithoutValidation("Idempotency-Key", key));
        }

        return await _gateway.ClientFor().SendAsync(message);
    }

    /// <summary>
    /// What a refused request must leave as it was: every payout, in-flight marker and lease key,
    /// the reconciler's list, the client's index, and the payments ycb executed.
    /// </summary>
    private async Task<string> SnapshotAsync()
    {
        var server = redis.Connection.GetServers().Single();
        var counts = new List<string>();
        foreach (var pattern in new[] { "gw:*:payout:*", "gw:*:inflight:*", "gw:*:lease:*" })
        {
            var n = 0;
            await foreach (var _ in server.KeysAsync(harness.Database, pattern))
            {
                n++;
            }

            counts.Add($"{pattern}={n}");
        }

        var processing = 0L;
        var indexed = 0L;
        foreach (var shard in PayoutKeys.AllShards)
        {
            processing += await Db.SortedSetLengthAsync(PayoutKeys.Processing(shard));
            foreach (var status in new[] { "processing", "succeeded", "failed" })
            {
                indexed += await Db.SortedSetLengthAsync(PayoutKeys.ClientStatus(shard, GatewayFactory.ClientA, status));
            }
        }

        counts.Add($"processing={processing}");

        counts.Add($"index={indexed}");
        counts.Add($"ycb executions={harness.Ycb.Executions.Count}");
        return string.Join(", ", counts);
    }
}
