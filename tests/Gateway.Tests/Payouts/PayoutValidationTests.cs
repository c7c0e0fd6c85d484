using System.Net;
using System.Text.Json;
using Gateway.Payouts;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Payouts;

/// <summary>Bad input is refused with problem+json naming the field, and nothing is stored or sent.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PayoutValidationTests(RedisFixture redis, YcbHarness harness) : IClassFixture<YcbHarness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    public static TheoryData<string, string> BadBodies => new()
    {
        { "amount", Mutate(b => b["amount"] = "0.00") },
        { "amount", Mutate(b => b["amount"] = "-5.00") },
        { "amount", Mutate(b => b["amount"] = "12.345") },
        { "amount", Mutate(b => b["amount"] = "1000000.01") },
        { "amount", Mutate(b => b["amount"] = 5000) },
        { "amount", Mutate(b => b["amount"] = "5,000.00") },
        { "amount", Mutate(b => b.Remove("amount")) },
        { "currency", Mutate(b => b["currency"] = "USD") },
        { "loanId", Mutate(b => b.Remove("loanId")) },
        { "loanId", Mutate(b => b["loanId"] = new string('L', 65)) },
        { "beneficiary", Mutate(b => b.Remove("beneficiary")) },
        { "beneficiary.accountNumber", MutateBeneficiary(b => b["accountNumber"] = "1234567") },
        { "beneficiary.accountNumber", MutateBeneficiary(b => b["accountNumber"] = "6222-0202-0011") },
        { "beneficiary.accountNumber", MutateBeneficiary(b => b["accountNumber"] = new string('1', 35)) },
        { "beneficiary.name", MutateBeneficiary(b => b["name"] = "") },
        { "beneficiary.name", MutateBeneficiary(b => b["name"] = new string('张', 65)) },
        { "beneficiary.bankCode", MutateBeneficiary(b => b["bankCode"] = "I") },
        { "beneficiary.bankCode", MutateBeneficiary(b => b["bankCode"] = "ICBC-CN") },
        { "partner", Mutate(b => b["partner"] = "nosuchbank") },
        { "metadata", Mutate(b => b["metadata"] = Enumerable.Range(0, 21).ToDictionary(i => $"k{i}", i => (object?)"v")) },
        { "metadata.channel", Mutate(b => b["metadata"] = new Dictionary<string, object?> { ["channel"] = 7 }) },
        { "amout", Mutate(b => b["amout"] = "1.00") },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Submit_InvalidField_Returns400NamingItAndStoresNothing(string field, string body)
    {
        var key = Api.NewKey();

        var response = await _gateway.ClientFor().SubmitRawAsync(key, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.EndsWith("/validation", problem.Str("type"), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        await AssertNothingStoredAsync(key);
    }

    /// <summary>
    /// Hostile text in every text field, written as JSON escapes (so lone surrogates survive the
    /// trip): each is a 400 naming the field. <c>\ud800</c> used to be a 500.
    /// </summary>
    public static TheoryData<string, string> HostileText => new()
    {
        { "loanId", WithRaw(b => b["loanId"] = Hole, @"LN-\ud800") },
        { "loanId", WithRaw(b => b["loanId"] = Hole, @"LN-1\u0000") },
        { "loanId", WithRaw(b => b["loanId"] = Hole, @"LN-2026-000123\n") },
        { "amount", WithRaw(b => b["amount"] = Hole, @"5000.00\n") },
        { "currency", WithRaw(b => b["currency"] = Hole, @"CNY\n") },
        { "currency", WithRaw(b => b["currency"] = Hole, @"\udc00") },
        { "beneficiary.name", WithRawBeneficiary("name", @"\ud800") },
        { "beneficiary.name", WithRawBeneficiary("name", @"\udc00\ud83d") },
        { "beneficiary.name", WithRawBeneficiary("name", @"\u5f20\u202e\u4e09") },
        { "beneficiary.name", WithRawBeneficiary("name", @"\u5f20\u2066\u4e09\u2069") },
        { "beneficiary.name", WithRawBeneficiary("name", @"\u5f20\u200b\u4e09") },
        { "beneficiary.name", WithRawBeneficiary("name", @"\u5f20\u4e09\n") },
        { "beneficiary.name", WithRawBeneficiary("name", @"\ufeffZoe") },
        { "beneficiary.name", WithRawBeneficiary("name", @"M\u00fcl\u00adler") },
        { "beneficiary.name", WithRawBeneficiary("name", @"\u0085Zoe") },
        { "beneficiary.name", WithRawBeneficiary("name", "a" + string.Concat(Enumerable.Repeat(@"\u0489", 100))) },
        { "beneficiary.accountNumber", WithRawBeneficiary("accountNumber", @"6222020200112233445\n") },
        { "beneficiary.accountNumber", WithRawBeneficiary("accountNumber", @"\uff16\uff12\uff12\uff12\uff10\uff12\uff10\uff12") },
        { "beneficiary.bankCode", WithRawBeneficiary("bankCode", @"ICBC\n") },
        { "beneficiary.bankCode", WithRawBeneficiary("bankCode", @"ICBC\u200d") },
        { "partner", WithRaw(b => b["partner"] = Hole, @"ycb\n") },
        { "partner", WithRaw(b => b["partner"] = Hole, @"ycb\ud800") },
        { "metadata.channel", WithRaw(b => b["metadata"] = new Dictionary<string, object?> { ["channel"] = Hole }, @"app\u202e") },
        { "metadata.channel", WithRaw(b => b["metadata"] = new Dictionary<string, object?> { ["channel"] = Hole }, @"\ud800") },
        { "metadata", RawMember("metadata", @"ch\u0000an", "\"app\"") },
        { "metadata", RawMember("metadata", @"ch\ud800", "\"app\"") },
        { "$", RawMember(null, @"\ud800", "1") },
        // Found by the hostile-input property: TryGetProperty threw on this member name (a 500).
        { "$", RawMember(null, @"\udbffe\u0301a", "{}") },
        { "beneficiary", RawMember("beneficiary", @"\udbffx", "1") },
    };

    [Theory]
    [MemberData(nameof(HostileText))]
    public async Task Submit_HostileText_Returns400NamingTheFieldAndStoresNothing(string field, string body)
    {
        await Submit_InvalidField_Returns400NamingItAndStoresNothing(field, body);
    }

    [Theory]
    [InlineData("name", new byte[] { 0xE5, 0xBC, 0xA0, 0xFF })] // not UTF-8 at all
    [InlineData("name", new byte[] { 0xED, 0xA0, 0x80 })] // a surrogate encoded in UTF-8
    [InlineData("bankCode", new byte[] { 0x49, 0xC0, 0xAF })] // an overlong encoding
    public async Task Submit_BytesThatAreNotUtf8_Returns4xxAndStoresNothing(string field, byte[] bytes)
    {
        var key = Api.NewKey();
        var halves = WithRawBeneficiary(field, "@@").Split("@@");
        var body = System.Text.Encoding.UTF8.GetBytes(halves[0]).Concat(bytes).Concat(System.Text.Encoding.UTF8.GetBytes(halves[1])).ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payouts") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("Idempotency-Key", key);

        var response = await _gateway.ClientFor().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingStoredAsync(key);
    }

    [Theory]
    [InlineData("key-\u0001-control")]
    [InlineData("key-\u007f-del")]
    [InlineData("key-\u00e9-latin1")]
    [InlineData("ключ-идемпотентности")]
    [InlineData("key-\u200b-zero-width")]
    [InlineData("key\ttab")]
    public async Task Submit_IdempotencyKeyNotPrintableAscii_Returns400AndStoresNothing(string key)
    {
        var response = await _gateway.ClientFor().SubmitAsync(key, Api.Body(account: Accounts.New()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith("/idempotency-key-missing", (await response.JsonAsync()).Str("type"), StringComparison.Ordinal);
        await AssertNothingStoredAsync(key);
    }

    [Theory]
    [InlineData(255, HttpStatusCode.Created)]
    [InlineData(256, HttpStatusCode.BadRequest)]
    public async Task Submit_IdempotencyKeyLength_IsBoundedAt255(int length, HttpStatusCode expected)
    {
        var key = Api.NewKey();
        key += new string('k', length - key.Length);

        var response = await _gateway.ClientFor().SubmitAsync(key, Api.Body(account: Accounts.New()));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Submit_DecomposedName_IsStoredAndSentAsNfc()
    {
        var key = Api.NewKey();
        var account = Accounts.New();

        var response = await _gateway.ClientFor().SubmitAsync(key, Api.Body(account: account, name: "Zoe\u0308 Ma\u0301rquez"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var execution = Assert.Single(harness.Ycb.Executions, e => e.PayeeAcctNo == account);
        Assert.Equal("Zo\u00eb M\u00e1rquez", execution.PayeeName);
        Assert.True(execution.PayeeName.IsNormalized(System.Text.NormalizationForm.FormC));
    }

    [Fact]
    public async Task Submit_FixedBodyAfterRefusal_SameKeyIsAccepted()
    {
        var key = Api.NewKey();
        var refused = await _gateway.ClientFor().SubmitRawAsync(key, Mutate(b => b["amount"] = "0"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var accepted = await _gateway.ClientFor().SubmitAsync(key, Api.Body(account: Accounts.New()));

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Theory]
    [InlineData("{\"loanId\": ")]
    [InlineData("[1,2,3]")]
    [InlineData("")]
    public async Task Submit_NotAJsonObject_Returns400AndStoresNothing(string body)
    {
        var key = Api.NewKey();

        var response = await _gateway.ClientFor().SubmitRawAsync(key, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingStoredAsync(key);
    }

    [Fact]
    public async Task Submit_BodyOver64KiB_Returns413AndStoresNothing()
    {
        var key = Api.NewKey();
        var body = Api.Body();
        body["loanId"] = new string('x', 70 * 1024);

        var response = await _gateway.ClientFor().SubmitAsync(key, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.EndsWith("/payload-too-large", (await response.JsonAsync()).Str("type"), StringComparison.Ordinal);
        await AssertNothingStoredAsync(key);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Submit_NotJson_Returns415AndStoresNothing(string contentType)
    {
        var key = Api.NewKey();

        var response = await _gateway.ClientFor().SubmitRawAsync(key, JsonSerializer.Serialize(Api.Body()), contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.EndsWith("/unsupported-media-type", (await response.JsonAsync()).Str("type"), StringComparison.Ordinal);
        await AssertNothingStoredAsync(key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-configured-key-at-all")]
    public async Task Submit_MissingOrUnknownApiKey_Returns401AndStoresNothing(string? apiKey)
    {
        var client = _gateway.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        var key = Api.NewKey();
        var response = await client.SubmitAsync(key, Api.Body());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        foreach (var client_ in new[] { GatewayFactory.ClientA, GatewayFactory.ClientB })
        {
            Assert.False(await redis.Connection.GetDatabase(harness.Database).KeyExistsAsync(PayoutKeys.Payout(Ids.Of(client_, key))));
        }
    }

    [Fact]
    public async Task Get_UnknownPayout_Returns404()
    {
        var response = await _gateway.ClientFor().GetAsync("/v1/payouts/" + Ids.Of("nobody", "nothing"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.EndsWith("/payout-not-found", (await response.JsonAsync()).Str("type"), StringComparison.Ordinal);
    }

    private async Task AssertNothingStoredAsync(string key)
    {
        var id = Ids.Of(GatewayFactory.ClientA, key);
        var db = redis.Connection.GetDatabase(harness.Database);
        Assert.False(await db.KeyExistsAsync(PayoutKeys.Payout(id)));
        Assert.False(await db.KeyExistsAsync(PayoutKeys.InFlight(id)));
        Assert.Null(await db.SortedSetScoreAsync(PayoutKeys.ProcessingOf(id), id));
        Assert.Equal(0, harness.Ycb.DisburseRequestCount(id));
    }

    private static string Mutate(Action<Dictionary<string, object?>> change)
    {
        var body = Api.Body();
        change(body);
        return JsonSerializer.Serialize(body);
    }

    private static string MutateBeneficiary(Action<Dictionary<string, object?>> change) =>
        Mutate(b => change((Dictionary<string, object?>)b["beneficiary"]!));

    private const string Hole = "__hostile__";

    /// <summary>The body with one string value written as raw JSON string content (escapes kept as they are).</summary>
    private static string WithRaw(Action<Dictionary<string, object?>> change, string rawContent) =>
        Mutate(change).Replace($"\"{Hole}\"", $"\"{rawContent}\"", StringComparison.Ordinal);

    private static string WithRawBeneficiary(string field, string rawContent) =>
        WithRaw(b => ((Dictionary<string, object?>)b["beneficiary"]!)[field] = Hole, rawContent);

    /// <summary>The body with one more member whose name is raw JSON string content, at the top or inside an object.</summary>
    private static string RawMember(string? inside, string rawName, string rawValue)
    {
        var body = Mutate(b =>
        {
            var target = inside is null ? b : (Dictionary<string, object?>)(b[inside] ??= new Dictionary<string, object?>());
            target[Hole] = "x";
        });
        return body.Replace($"\"{Hole}\":\"x\"", $"\"{rawName}\":{rawValue}", StringComparison.Ordinal);
    }
}
