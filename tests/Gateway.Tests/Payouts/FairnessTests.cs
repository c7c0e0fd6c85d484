using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Fixtures;
using Orchestration;
using Simulators.Ycb;

namespace Gateway.Tests.Payouts;

/// <summary>
/// One client over its own token bucket gets 429 with an honest Retry-After and stores nothing,
/// while another client's payouts still get 201.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ClientRateFairnessTests(RedisFixture redis, ClientRateFairnessTests.Harness harness)
    : IClassFixture<ClientRateFairnessTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Submit_ClientOverItsRate_Returns429WithRetryAfterStoresNothing_OtherClientGets201()
    {
        var a = _gateway.ClientFor(GatewayFactory.KeyA);
        var b = _gateway.ClientFor(GatewayFactory.KeyB);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await a.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).StatusCode);
        }

        var account = Accounts.New();
        var limited = await a.SubmitAsync(Api.NewKey(), Api.Body(account: account));
        var other = await b.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.EndsWith("/client-rate-limited", (await limited.JsonAsync()).Str("type"), StringComparison.Ordinal);
        // The bucket refills one period (1 min) from now: the limiter says so, not a fixed guess.
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(harness.Ycb.Executions, e => e.PayeeAcctNo == account);
        Assert.Equal(2, (await a.GetJsonAsync("/v1/payouts?limit=200")).GetProperty("items").GetArrayLength());

        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Payouts:ClientRateLimit:Permits"] = "2";
            settings["Payouts:ClientRateLimit:Burst"] = "2";
            settings["Payouts:ClientRateLimit:Period"] = "00:01:00";
        }
    }
}

/// <summary>
/// One client holding all of its concurrent submissions gets 429 for the next and stores nothing,
/// while another client's payouts still get 201.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ClientConcurrencyFairnessTests(RedisFixture redis, ClientConcurrencyFairnessTests.Harness harness)
    : IClassFixture<ClientConcurrencyFairnessTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Submit_ClientAtItsConcurrencyLimit_Returns429StoresNothing_OtherClientGets201()
    {
        var a = _gateway.ClientFor(GatewayFactory.KeyA);
        var b = _gateway.ClientFor(GatewayFactory.KeyB);
        var slow = Accounts.New();
        harness.Ycb.SetBehaviour(slow, new YcbBehaviour(YcbMode.SlowAfterExecute, Delay: TimeSpan.FromSeconds(2)));
        var holding = a.SubmitAsync(Api.NewKey(), Api.Body(account: slow));
        await Eventually.HoldsAsync(() => harness.Ycb.Executions.Any(e => e.PayeeAcctNo == slow), "the slow payout never reached the partner");

        var account = Accounts.New();
        var limited = await a.SubmitAsync(Api.NewKey(), Api.Body(account: account));
        var other = await b.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.EndsWith("/client-rate-limited", (await limited.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await holding).StatusCode);
        Assert.DoesNotContain(harness.Ycb.Executions, e => e.PayeeAcctNo == account);
        Assert.Single((await a.GetJsonAsync("/v1/payouts?limit=200")).GetProperty("items").EnumerateArray());
    }

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Payouts:MaxConcurrentPerClient"] = "1";
            settings["Payouts:MaxConcurrentSubmissions"] = "4";
            settings["Partners:ycb:Timeout"] = "00:00:05";
        }
    }
}

/// <summary>
/// Against the real gateway process (Kestrel, real sockets): a client dribbling slow uploads holds
/// connections but no submission slot, so another client's payout gets 201 even with a single
/// slot; each slow upload is answered 408 at the read deadline and stores nothing.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SlowUploadFairnessTests(RedisFixture redis) : IAsyncLifetime
{
    private YcbSimulator _ycb = null!;

    public Task InitializeAsync()
    {
        _ycb = YcbSimulator.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _ycb.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Submit_OneClientDribblesUploads_OtherClientGets201_DribblersGet408AndStoreNothing()
    {
        var settings = GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), _ycb.Url);
        settings["Payouts:MaxConcurrentSubmissions"] = "1";
        settings["Payouts:MaxConcurrentPerClient"] = "1";
        settings["Payouts:BodyReadTimeout"] = "00:00:03";
        await using var gateway = await GatewayProcesses.StartAsync(settings);
        var port = gateway.Url.Port;

        var dribbled = Enumerable.Range(0, 3).Select(_ => Accounts.New()).ToList();
        var uploads = new List<SlowUpload>();
        foreach (var account in dribbled)
        {
            uploads.Add(await SlowUpload.StartAsync(port, GatewayFactory.KeyA, JsonSerializer.Serialize(Api.Body(account: account))));
        }

        try
        {
            using var b = gateway.ClientFor(GatewayFactory.KeyB);
            var other = await b.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()));
            Assert.Equal(HttpStatusCode.Created, other.StatusCode);

            foreach (var upload in uploads)
            {
                var (status, body) = await upload.ReadAnswerAsync(TimeSpan.FromSeconds(20));
                Assert.Equal(408, status);
                Assert.EndsWith("/request-body-timeout", JsonDocument.Parse(body).RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var upload in uploads)
            {
                upload.Dispose();
            }
        }

        using var a = gateway.ClientFor(GatewayFactory.KeyA);
        Assert.Empty((await a.GetJsonAsync("/v1/payouts?limit=200")).GetProperty("items").EnumerateArray());
        Assert.DoesNotContain(_ycb.Executions, e => dribbled.Contains(e.PayeeAcctNo));
        var afterwards = await a.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()));
        Assert.Equal(HttpStatusCode.Created, afterwards.StatusCode);
    }

    /// <summary>A raw HTTP/1.1 POST whose headers and first bytes are sent, and the rest never.</summary>
    private sealed class SlowUpload : IDisposable
    {
        private readonly TcpClient _tcp;

        private SlowUpload(TcpClient tcp) => _tcp = tcp;

        public static async Task<SlowUpload> StartAsync(int port, string apiKey, string json)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var body = Encoding.UTF8.GetBytes(json);
            var head = $"POST /v1/payouts HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Api-Key: {apiKey}\r\n"
                + $"Idempotency-Key: {Api.NewKey()}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(body.AsMemory(0, 10));
            await stream.FlushAsync();
            return new SlowUpload(tcp);
        }

        /// <summary>The status and body of the answer (bounded wait).</summary>
        public async Task<(int Status, string Body)> ReadAnswerAsync(TimeSpan within)
        {
            using var timeout = new CancellationTokenSource(within);
            var stream = _tcp.GetStream();
            var received = new List<byte>();
            var buffer = new byte[4096];
            while (true)
            {
                var text = Encoding.UTF8.GetString(received.ToArray());
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0 && Complete(text[..end].Split("\r\n"), text[(end + 4)..]) is { } body)
                {
                    return (int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), body);
                }

                var read = await stream.ReadAsync(buffer, timeout.Token);
                Assert.True(read > 0, $"the connection closed before a whole answer: {text}");
                received.AddRange(buffer.AsSpan(0, read).ToArray());
            }
        }

        /// <summary>The whole body once it has arrived (Content-Length or chunked), else null.</summary>
        private static string? Complete(string[] headers, string rest)
        {
            string? Header(string name) => headers.Select(h => h.Split(':', 2))
                .FirstOrDefault(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))?[1].Trim();

            if (Header("Content-Length") is { } length)
            {
                return Encoding.UTF8.GetByteCount(rest) >= int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) ? rest : null;
            }

            if (!rest.Contains("\r\n0\r\n\r\n", StringComparison.Ordinal) && !rest.StartsWith("0\r\n\r\n", StringComparison.Ordinal))
            {
                return null;
            }

            var body = new StringBuilder();
            var at = 0;
            while (true)
            {
                var lineEnd = rest.IndexOf("\r\n", at, StringComparison.Ordinal);
                var size = Convert.ToInt32(rest[at..lineEnd], 16);
                if (size == 0)
                {
                    return body.ToString();
                }

                var bytes = Encoding.UTF8.GetBytes(rest[(lineEnd + 2)..]);
                var chunk = Encoding.UTF8.GetString(bytes, 0, size);
                body.Append(chunk);
                at = lineEnd + 2 + chunk.Length + 2;
            }
        }

        public void Dispose() => _tcp.Dispose();
    }
}
