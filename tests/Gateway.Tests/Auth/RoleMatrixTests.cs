using System.Net;
using System.Text.Json;
using Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Auth;

/// <summary>
/// Every endpoint the host serves (read from its <see cref="EndpointDataSource"/>, so a new one
/// cannot be forgotten) × every kind of caller: no key, client A, client B, the on-call key, the operator key. Each
/// gets its expected status; a refused call stores nothing in Redis and reaches no partner.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RoleMatrixTests(RedisFixture redis, RoleMatrixTests.Harness harness) : IClassFixture<RoleMatrixTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    public enum Caller
    {
        None,
        ClientA,
        ClientB,
        OnCall,
        Operator,
    }

    /// <summary>One request aimed at an endpoint, with the status each caller must get.</summary>
    private sealed record Probe(string Method, string Path, bool HasBody, int None, int ClientA, int ClientB, int OnCall, int Operator = 403)
    {
        public int Expected(Caller caller) => caller switch
        {
            Caller.None => None,
            Caller.ClientA => ClientA,
            Caller.ClientB => ClientB,
            Caller.OnCall => OnCall,
            _ => Operator,
        };
    }

    /// <summary>
    /// The expectation for every endpoint, keyed by "METHODS pattern" as the endpoint list names it
    /// (<c>*</c> when the endpoint takes any method). <c>{own}</c> is a payout of client A.
    /// </summary>
    private static readonly Dictionary<string, Probe> Expectations = new(StringComparer.Ordinal)
    {
        // Public: no key needed, any key accepted.
        ["* /health/live"] = new("GET", "/health/live", false, 200, 200, 200, 200, 200),
        ["* /health/ready"] = new("GET", "/health/ready", false, 200, 200, 200, 200, 200),
        ["* /metrics"] = new("GET", "/metrics", false, 200, 200, 200, 200, 200),
        ["GET /openapi/{documentName}.json"] = new("GET", "/openapi/v1.json", false, 200, 200, 200, 200, 200),
        ["GET /ops"] = new("GET", "/ops", false, 200, 200, 200, 200, 200),

        // Client keys: submit, read their own payouts.
        ["POST /v1/payouts/"] = new("POST", "/v1/payouts", true, 401, 201, 201, 403),
        ["GET /v1/payouts/"] = new("GET", "/v1/payouts", false, 401, 200, 200, 403),
        ["GET /v1/payouts/{id}"] = new("GET", "/v1/payouts/{own}", false, 401, 200, 404, 403),

        // Client keys: their own dead-lettered webhook events (none here: unknown event is 404).
        ["GET /v1/webhooks/dead-letters"] = new("GET", "/v1/webhooks/dead-letters", false, 401, 200, 200, 403),
        ["POST /v1/webhooks/dead-letters/{eventId}/redeliver"] = new("POST", "/v1/webhooks/dead-letters/evt_unknown/redeliver", false, 401, 404, 404, 403),

        // Client keys: the pass-through (an allowed read) and the unknown-partner fallback.
        ["GET /partners/ycb/api/v2/accounts/balance"] = new("GET", "/partners/ycb/api/v2/accounts/balance", false, 401, 200, 200, 403),
        ["POST /partners/ycb/api/v2/accounts/verify"] = new("POST", "/partners/ycb/api/v2/accounts/verify", true, 401, 200, 200, 403),
        ["* /partners/{partner}/{**path}"] = new("GET", "/partners/acme/api/v2/accounts/balance", false, 401, 404, 404, 403),

        // On-call keys: diagnostics across every client.
        ["GET /v1/diagnostics/failures"] = new("GET", "/v1/diagnostics/failures?window=1h", false, 401, 403, 403, 200),
        ["GET /v1/diagnostics/failed-payouts"] = new("GET", "/v1/diagnostics/failed-payouts", false, 401, 403, 403, 200),
        ["GET /v1/diagnostics/payouts/{id}"] = new("GET", "/v1/diagnostics/payouts/{own}", false, 401, 403, 403, 200),
        ["GET /v1/diagnostics/partners"] = new("GET", "/v1/diagnostics/partners", false, 401, 403, 403, 200),
        ["GET /v1/diagnostics/webhooks"] = new("GET", "/v1/diagnostics/webhooks", false, 401, 403, 403, 200),
        ["GET /v1/diagnostics/state-store"] = new("GET", "/v1/diagnostics/state-store", false, 401, 403, 403, 200),

        // Operator keys: accepting a state store data loss, nothing else (on-call keys stay read-only); with no loss known it changes nothing (409).
        ["POST /v1/state-store/accept-loss"] = new("POST", "/v1/state-store/accept-loss", false, 401, 403, 403, 403, 409),
    };

    [Fact]
    public void Matrix_EveryEndpointOfTheHost_HasAnExpectation()
    {
        var served = ServedEndpoints();

        Assert.True(served.Count >= Expectations.Count, $"the host serves only: {string.Join("; ", served)}");
        var missing = served.Where(e => !Expectations.ContainsKey(e)).ToList();
        Assert.True(missing.Count == 0, $"endpoints without a role expectation (add them to the matrix): {string.Join("; ", missing)}");
        var stale = Expectations.Keys.Where(k => !served.Contains(k)).ToList();
        Assert.True(stale.Count == 0, $"expectations for endpoints the host no longer serves: {string.Join("; ", stale)}");
    }

    [Fact]
    public async Task Matrix_EveryEndpointTimesEveryCaller_GetsItsStatus_RefusalsStoreAndForwardNothing()
    {
        var own = await SubmitOwnPayoutAsync();
        var cases = (from endpoint in ServedEndpoints()
                     from caller in Enum.GetValues<Caller>()
                     let probe = Expectations[endpoint]
                     select (Endpoint: endpoint, Caller: caller, Probe: probe, Status: probe.Expected(caller))).ToList();
        var failures = new List<string>();

        // Refusals first, while nothing else is changing: Redis and ycb must not move.
        foreach (var (endpoint, caller, probe, status) in cases.Where(c => c.Status is 401 or 403))
        {
            var keysBefore = await RedisKeysAsync();
            var ycbBefore = YcbReceived();

            using var response = await SendAsync(caller, probe, own);

            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != status)
            {
                failures.Add($"{endpoint} as {caller}: HTTP {(int)response.StatusCode}, expected {status}: {body}");
                continue;
            }

            var slug = status == 401 ? "/unauthorized" : "/forbidden";
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || !JsonDocument.Parse(body).RootElement.GetProperty("type").GetString()!.EndsWith(slug, StringComparison.Ordinal))
            {
                failures.Add($"{endpoint} as {caller}: not a problem+json of type …{slug}: {body}");
            }

            var newKeys = (await RedisKeysAsync()).Except(keysBefore).ToList();
            if (newKeys.Count > 0)
            {
                failures.Add($"{endpoint} as {caller}: refused, yet Redis gained {string.Join(", ", newKeys)}");
            }

            if (YcbReceived() != ycbBefore)
            {
                failures.Add($"{endpoint} as {caller}: refused, yet the ycb simulator received a call");
            }
        }

        foreach (var (endpoint, caller, probe, status) in cases.Where(c => c.Status is not (401 or 403)))
        {
            using var response = await SendAsync(caller, probe, own);
            if ((int)response.StatusCode != status)
            {
                failures.Add($"{endpoint} as {caller}: HTTP {(int)response.StatusCode}, expected {status}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Payouts_AnotherClientsPayout_IsNotFoundAndNotListed()
    {
        var own = await SubmitOwnPayoutAsync();

        using var read = await _gateway.ClientFor(GatewayFactory.KeyB).GetAsync($"/v1/payouts/{own}");
        var list = await _gateway.ClientFor(GatewayFactory.KeyB).GetJsonAsync("/v1/payouts?limit=200");
        var onCall = await _gateway.OpsClient().GetJsonAsync($"/v1/diagnostics/payouts/{own}");

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.EndsWith("/payout-not-found", (await read.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.DoesNotContain(own, list.GetProperty("items").EnumerateArray().Select(p => p.Str("id")));
        Assert.Equal(own, onCall.Str("id"));
    }

    private List<string> ServedEndpoints() =>
    [
        .. _gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => $"{(e.Metadata.GetMetadata<IHttpMethodMetadata>() is { } methods ? string.Join(",", methods.HttpMethods) : "*")} {e.RoutePattern.RawText}")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal),
    ];

    private async Task<string> SubmitOwnPayoutAsync()
    {
        var client = _gateway.ClientFor();
        var created = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).JsonAsync();
        var id = created.Str("id");
        Assert.NotEqual("processing", (await client.WaitFinalAsync(id)).Str("status"));
        return id;
    }

    private async Task<HttpResponseMessage> SendAsync(Caller caller, Probe probe, string own)
    {
        var http = caller switch
        {
            Caller.None => _gateway.AnonymousClient(),
            Caller.ClientA => _gateway.ClientFor(GatewayFactory.KeyA),
            Caller.ClientB => _gateway.ClientFor(GatewayFactory.KeyB),
            Caller.OnCall => _gateway.OpsClient(),
            _ => _gateway.OperatorClient(),
        };
        var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Path.Replace("{own}", own, StringComparison.Ordinal));
        if (probe.HasBody && probe.Path.StartsWith("/partners/", StringComparison.Ordinal))
        {
            request.Content = new StringContent(JsonSerializer.Serialize(new { acctNo = Accounts.New(), acctName = "张三" }), System.Text.Encoding.UTF8, "application/json");
        }
        else if (probe.HasBody)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(Api.Body(account: Accounts.New())), System.Text.Encoding.UTF8, "application/json");
            request.Headers.TryAddWithoutValidation("Idempotency-Key", Api.NewKey());
        }

        return await http.SendAsync(request);
    }

    private async Task<HashSet<string>> RedisKeysAsync()
    {
        var keys = await redis.Connection.GetDatabase(harness.Database).ExecuteAsync("KEYS", "*");
        return [.. ((StackExchange.Redis.RedisResult[])keys!).Select(k => (string)k!)];
    }

    /// <summary>Every request that reached the ycb simulator on any path (health probes aside), and its executions.</summary>
    private (int Executions, int Requests) YcbReceived() => (harness.Ycb.Executions.Count, harness.Ycb.ReceivedCalls.Count);

    public sealed class Harness : YcbHarness;
}
