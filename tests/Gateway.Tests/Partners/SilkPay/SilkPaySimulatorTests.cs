using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Fixtures;
using Simulators.SilkPay;

namespace Gateway.Tests.Partners.SilkPay;

/// <summary>
/// The SilkPay simulator speaks partners.md §3 on its own (the sandbox, load and chaos suites use
/// it without the gateway): bearer key, Idempotency-Key semantics, list inquiry, health, control.
/// </summary>
public sealed class SilkPaySimulatorTests : IDisposable
{
    private const string Key = "sk_test_simulator_tests_not_real";

    private readonly SilkPaySimulator _silkPay = SilkPaySimulator.Start(new SilkPaySimulatorOptions { SecretKey = Key });
    private readonly HttpClient _http;

    public SilkPaySimulatorTests()
    {
        _http = new HttpClient { BaseAddress = new Uri(_silkPay.Url) };
    }

    [Fact]
    public async Task Transfer_SameKeyAndBody_ReplaysTheTransferWithoutASecondExecution()
    {
        var reference = "po_" + Guid.NewGuid().ToString("N")[..26];
        var body = TransferBody(reference, Accounts.New(), 500_000);

        var first = await (await PostAsync(reference, body)).JsonAsync();
        var again = await PostAsync(reference, body);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var replay = await again.JsonAsync();
        Assert.Equal(first.Str("id"), replay.Str("id"));
        Assert.Equal("paid", replay.Str("status"));
        Assert.Equal("500000", replay.Str("amount"));
        Assert.Equal("null", replay.Str("failure_code"));
        Assert.Equal(1, _silkPay.ExecutionCount(reference));
        Assert.Equal(2, _silkPay.TransferRequestCount(reference));
    }

    [Fact]
    public async Task Transfer_SameKeyOtherBody_Answers409AndNeverExecutesTwice()
    {
        var reference = "po_" + Guid.NewGuid().ToString("N")[..26];
        var account = Accounts.New();
        await PostAsync(reference, TransferBody(reference, account, 500_000));

        var response = await PostAsync(reference, TransferBody(reference, account, 600_000));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var error = await response.JsonAsync();
        Assert.Equal("idempotency_error", error.Str("error.type"));
        Assert.Equal("idempotency_key_reused", error.Str("error.code"));
        var execution = Assert.Single(_silkPay.Executions);
        Assert.Equal(500_000, execution.Amount);
    }

    [Fact]
    public async Task Transfer_WrongOrMissingKey_Answers401AndExecutesNothing()
    {
        var reference = "po_" + Guid.NewGuid().ToString("N")[..26];
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/transfers") { Content = Json(TransferBody(reference, Accounts.New(), 100)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_wrong");
        request.Headers.Add("Idempotency-Key", reference);

        var wrong = await _http.SendAsync(request);
        var missing = await _http.GetAsync(new Uri($"/v1/transfers?client_reference={reference}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("authentication_error", (await wrong.JsonAsync()).Str("error.type"));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Empty(_silkPay.Executions);
        Assert.Equal(0, _silkPay.TransferRequestCount(reference));
    }

    [Fact]
    public async Task List_ByClientReference_ShowsTheTransferOrNothing()
    {
        var reference = "po_" + Guid.NewGuid().ToString("N")[..26];
        var created = await (await PostAsync(reference, TransferBody(reference, Accounts.New(), 1_280_050))).JsonAsync();

        var found = await (await ListAsync(reference)).JsonAsync();
        var none = await (await ListAsync("po_never_sent")).JsonAsync();

        Assert.Equal("list", found.Str("object"));
        var transfer = Assert.Single(found.GetProperty("data").EnumerateArray());
        Assert.Equal(created.Str("id"), transfer.Str("id"));
        Assert.Equal(reference, transfer.Str("client_reference"));
        Assert.Equal("1280050", transfer.Str("amount"));
        Assert.Empty(none.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Health_NeedsNoKey()
    {
        var response = await _http.GetAsync(new Uri("/v1/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.JsonAsync()).Str("status"));
    }

    [Fact]
    public async Task Control_BehaviourAndLedger_WorkOverHttp()
    {
        var refused = Accounts.New();
        var paid = Accounts.New();
        var set = await _http.PostAsync(new Uri("/__sim/behaviours", UriKind.Relative),
            Json(new { accountNumber = refused, mode = "Normal", failureCode = "no_account" }));
        var first = "po_" + Guid.NewGuid().ToString("N")[..26];
        var second = "po_" + Guid.NewGuid().ToString("N")[..26];

        var failed = await (await PostAsync(first, TransferBody(first, refused, 100))).JsonAsync();
        await PostAsync(second, TransferBody(second, paid, 12_345));
        var ledger = await (await _http.GetAsync(new Uri("/__sim/ledger", UriKind.Relative))).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("failed", failed.Str("status"));
        Assert.Equal("no_account", failed.Str("failure_code"));
        var line = Assert.Single(ledger.EnumerateArray());
        Assert.Equal(second, line.Str("clientReference"));
        Assert.Equal("12345", line.Str("amount"));
    }

    [Fact]
    public async Task GoDown_RefusesConnections_ComeUpKeepsTheBooks()
    {
        var reference = "po_" + Guid.NewGuid().ToString("N")[..26];
        await PostAsync(reference, TransferBody(reference, Accounts.New(), 100));

        _silkPay.GoDown();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => ListAsync(reference));
        _silkPay.ComeUp();
        var listed = await (await ListAsync(reference)).JsonAsync();

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Single(listed.GetProperty("data").EnumerateArray());
        Assert.Equal(1, _silkPay.ExecutionCount(reference));
    }

    public void Dispose()
    {
        _http.Dispose();
        _silkPay.Dispose();
    }

    private static Dictionary<string, object?> TransferBody(string reference, string account, long amount) => new Dictionary<string, object?>
    {
        ["amount"] = amount,
        ["currency"] = "cny",
        ["client_reference"] = reference,
        ["destination"] = new Dictionary<string, object?>
        {
            ["account_number"] = account, ["account_holder_name"] = "张三", ["bank_code"] = "ICBC",
        },
        ["description"] = "LN-2026-000123",
    };

    private static ByteArrayContent Json(object body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private Task<HttpResponseMessage> PostAsync(string idempotencyKey, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/transfers") { Content = Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return _http.SendAsync(request);
    }

    private Task<HttpResponseMessage> ListAsync(string reference)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/transfers?client_reference={Uri.EscapeDataString(reference)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return _http.SendAsync(request);
    }
}
