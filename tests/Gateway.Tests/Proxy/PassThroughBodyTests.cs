using System.Net;
using System.Text;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Proxy;

/// <summary>
/// Pass-through bodies are at most 16 KiB, whether declared by Content-Length or sent chunked:
/// above that the answer is 413 problem+json and the partner receives nothing. A GET takes no body.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PassThroughBodyTests(RedisFixture redis, PassThroughHarness harness) : IClassFixture<PassThroughHarness>
{
    private const int Limit = 16 * 1024;
    private const string Verify = "/partners/ycb/api/v2/accounts/verify";

    private readonly KestrelGateway _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Verify_DeclaredLengthOver16KiB_Answers413AndForwardsNothing()
    {
        var before = harness.CallsReceived();

        var answer = await RawHttp.SendAsync(_gateway.Url, "POST", Verify, _gateway.Url.Authority,
            [("X-Api-Key", GatewayFactory.KeyA), ("Content-Type", "application/json")], VerifyBody(Limit + 1));

        Assert.Equal(413, answer.Status);
        Assert.Contains("/payload-too-large", answer.Body, StringComparison.Ordinal);
        Assert.Equal(before, harness.CallsReceived());
    }

    [Fact]
    public async Task Verify_ChunkedBodyOver16KiB_Answers413AndForwardsNothing()
    {
        var before = harness.CallsReceived();
        using var client = _gateway.ClientFor();

        var response = await client.PostAsync(Verify, new ChunkedContent(VerifyBody(64 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.EndsWith("/payload-too-large", (await response.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.Equal(before, harness.CallsReceived());
    }

    [Fact]
    public async Task Verify_ChunkedBodyOfExactly16KiB_IsForwardedWithItsExactLength()
    {
        var before = harness.Ycb.ReceivedCalls.Count;
        using var client = _gateway.ClientFor();

        var response = await client.PostAsync(Verify, new ChunkedContent(VerifyBody(Limit)));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var call = Assert.Single(harness.Ycb.ReceivedCalls.Skip(before));
        Assert.Equal(Limit, call.ContentLength);
        Assert.Null(call.Header("Transfer-Encoding"));
    }

    [Fact]
    public async Task Balance_GetWithABody_Answers413AndForwardsNothing()
    {
        var before = harness.CallsReceived();

        var answer = await RawHttp.SendAsync(_gateway.Url, "GET", "/partners/ycb/api/v2/accounts/balance", _gateway.Url.Authority,
            [("X-Api-Key", GatewayFactory.KeyA)], Encoding.UTF8.GetBytes("""{"reqSeqNo":"po_x"}"""));

        Assert.Equal(413, answer.Status);
        Assert.Equal(before, harness.CallsReceived());
    }

    /// <summary>A verify request padded with spaces (still valid JSON) to exactly <paramref name="size"/> bytes.</summary>
    private static byte[] VerifyBody(int size)
    {
        var json = """{"acctNo":"6222020200112233445","acctName":"Zhang San"}""";
        return Encoding.UTF8.GetBytes(json.PadRight(size));
    }

    /// <summary>Content of unknown length, so HttpClient sends it with Transfer-Encoding: chunked.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _body;

        public ChunkedContent(byte[] body)
        {
            _body = body;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _body.Length; offset += 1024)
            {
                await stream.WriteAsync(_body.AsMemory(offset, Math.Min(1024, _body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
