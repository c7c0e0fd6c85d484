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
        Assert.Null(await db.SortedSetScoreAsync(PayoutKeys.Processing, id));
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
}
