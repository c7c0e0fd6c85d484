using System.Diagnostics;
using System.Net;
using Gateway.Hosting;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Trace = Gateway.Core.PayoutTracing;

namespace Gateway.Tests.Tracing;

/// <summary>
/// One payout is one trace: the submission's server span, its claim, the partner attempt (with the
/// partner's HTTP call as its child) and the save; the partner receives no trace context; the
/// submission's <c>traceparent</c> is stored with the payout, and a reconciler's takeover is a new
/// trace linked to it.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class TracingTests(RedisFixture redis, TracingHarness harness) : IClassFixture<TracingHarness>
{
    private static readonly string[] TraceHeaders = ["traceparent", "tracestate", "baggage", "Request-Id", "Correlation-Context"];

    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Submit_OnePayout_IsOneTraceFromTheRequestThroughClaimAttemptAndSave()
    {
        var response = await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.JsonAsync()).Str("id");

        // The server span ends once the answer is written: wait for it.
        Activity? server = null;
        await Eventually.HoldsAsync(() => (server = ServerSpanOf(id)) is not null, $"no server span for payout {id}");
        var claim = Assert.Single(harness.Exported.Of(id, Trace.Claim));
        var attempt = Assert.Single(harness.Exported.Of(id, Trace.Attempt));
        var save = Assert.Single(harness.Exported.Of(id, Trace.Save));

        Assert.All([claim, attempt, save], span =>
        {
            Assert.Equal(server!.TraceId, span.TraceId);
            Assert.Equal(server.SpanId, span.ParentSpanId);
        });
        Assert.Equal("Created", claim.GetTagItem(Trace.OutcomeTag));
        Assert.Equal("ycb", attempt.GetTagItem(Trace.PartnerTag));
        Assert.Equal(1, attempt.GetTagItem(Trace.AttemptTag));
        Assert.Equal("succeeded", attempt.GetTagItem(Trace.OutcomeTag));
        Assert.Equal("succeeded", save.GetTagItem(Trace.StatusTag));
        Assert.Equal("Saved", save.GetTagItem(Trace.OutcomeTag));
        Assert.True(claim.StartTimeUtc <= attempt.StartTimeUtc && attempt.StartTimeUtc <= save.StartTimeUtc);

        // The partner's HTTP call is the attempt's child.
        var call = Assert.Single(harness.Exported.Snapshot(), s => s.ParentSpanId == attempt.SpanId);
        Assert.Equal("System.Net.Http", call.Source.Name);
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal("POST", call.GetTagItem("http.request.method"));

        // Policy: the partner receives no trace context at all.
        var received = harness.Ycb.ReceivedCalls;
        Assert.NotEmpty(received);
        Assert.All(received, r => Assert.All(TraceHeaders, h => Assert.Null(r.Header(h))));

        // The submission's context is stored with the payout, and the record stays under a kilobyte.
        var db = _gateway.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var stored = PayoutValue.Parse(await db.StringGetAsync(PayoutKeys.Payout(id)))!.ToStored().Payout;
        Assert.Equal($"00-{server!.TraceId}-{server.SpanId}-01", stored.Trace);
        var bytes = (long)await db.ExecuteAsync("MEMORY", "USAGE", (RedisKey)PayoutKeys.Payout(id).ToString());
        Assert.True(bytes < 1024, $"the stored payout takes {bytes} bytes");
    }

    [Fact]
    public async Task Reconciler_TakingOverAPayout_StartsANewTraceLinkedToTheSubmissions()
    {
        var submission = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        string id;
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(harness.Space.ConnectionString))
        {
            var payout = DeadInstance.Payout() with { Trace = $"00-{submission.TraceId}-{submission.SpanId}-01" };
            id = (await DeadInstance.ClaimAsync(harness.Space.State(connection), payout)).Id;
        }

        var final = await _gateway.ClientFor().WaitFinalAsync(id, TimeSpan.FromSeconds(20));
        Assert.Equal("succeeded", final.Str("status"));

        Activity? recovery = null;
        await Eventually.HoldsAsync(() => (recovery = harness.Exported.Of(id, Trace.Recover).SingleOrDefault()) is not null,
            $"no {Trace.Recover} span for payout {id}");
        Assert.Equal(default, recovery!.ParentSpanId);
        Assert.NotEqual(submission.TraceId, recovery.TraceId);
        var link = Assert.Single(recovery.Links);
        Assert.Equal(submission.TraceId, link.Context.TraceId);
        Assert.Equal(submission.SpanId, link.Context.SpanId);

        // The takeover's inquiry (the partner never heard of it) and the send that follows are in the new trace.
        var inquiries = harness.Exported.Of(id, Trace.Inquiry);
        var attempt = Assert.Single(harness.Exported.Of(id, Trace.Attempt));
        Assert.NotEmpty(inquiries);
        Assert.All([.. inquiries, attempt], span =>
        {
            Assert.Equal(recovery.TraceId, span.TraceId);
            Assert.Equal(recovery.SpanId, span.ParentSpanId);
        });
        Assert.Equal(1, inquiries[0].GetTagItem(Trace.AttemptTag));
        Assert.Equal(inquiries.Count + 1, attempt.GetTagItem(Trace.AttemptTag));
        Assert.Contains(harness.Exported.Snapshot(), s => s.ParentSpanId == inquiries[0].SpanId && s.Source.Name == "System.Net.Http");

        var inquired = harness.Ycb.ReceivedCalls.Where(r => r.Method == "GET" && r.Path.EndsWith("/" + id, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(inquired);
        Assert.All(inquired, r => Assert.All(TraceHeaders, h => Assert.Null(r.Header(h))));
    }

    [Fact]
    public async Task PassThrough_WhileTracing_SendsThePartnerNoTraceContext()
    {
        var before = harness.Ycb.ReceivedCalls.Count;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/partners/ycb/api/v2/accounts/balance");
        request.Headers.TryAddWithoutValidation("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        request.Headers.TryAddWithoutValidation("tracestate", "caller=1");
        request.Headers.TryAddWithoutValidation("baggage", "user=mallory");

        var response = await _gateway.ClientFor().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(harness.Ycb.ReceivedCalls.Skip(before));
        Assert.All(TraceHeaders, h => Assert.Null(call.Header(h)));
    }

    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData("http://collector:4317", null, null, true)]
    [InlineData("http://collector:4317", "none", null, false)]
    [InlineData(null, "otlp", null, true)]
    [InlineData(null, "console,otlp", null, true)]
    [InlineData("http://collector:4317", null, "true", false)]
    public void ExportsTraces_FollowsTheStandardVariables(string? endpoint, string? exporter, string? disabled, bool exports)
    {
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_TRACES_EXPORTER"] = exporter,
            ["OTEL_SDK_DISABLED"] = disabled,
        };

        Assert.Equal(exports, TracingSetup.ExportsTraces(name => environment.GetValueOrDefault(name)));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("http://127.0.0.1:4317", true)]
    public void WithGatewayTracing_RegistersATracerProvider_OnlyWhenExporting(string? endpoint, bool registered)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOpenTelemetry().WithGatewayTracing(name => name == "OTEL_EXPORTER_OTLP_ENDPOINT" ? endpoint : null);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(registered, provider.GetService<OpenTelemetry.Trace.TracerProvider>() is not null);
    }

    [Fact]
    public void StoredDocument_WithoutATrace_HasNoTraceField()
    {
        var payout = DeadInstance.Payout();

        Assert.DoesNotContain("\"trace\"", PayoutDocument.Write(payout), StringComparison.Ordinal);
        Assert.Contains("\"trace\":\"00-", PayoutDocument.Write(payout with { Trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }),
            StringComparison.Ordinal);
    }

    /// <summary>The ASP.NET Core server span of the POST that created <paramref name="id"/>: the root of the trace its claim is in.</summary>
    private Activity? ServerSpanOf(string id)
    {
        var claim = harness.Exported.Of(id, Trace.Claim).SingleOrDefault();
        return claim is null ? null : harness.Exported.Snapshot().SingleOrDefault(s => s.SpanId == claim.ParentSpanId && s.Kind == ActivityKind.Server);
    }
}
