using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Gateway.Tests.Fixtures;

/// <summary>How the lending backend calls the gateway, in test form.</summary>
public static class Api
{
    public const string Account = "6222020200112233445";

    public static Dictionary<string, object?> Body(string account = Account, string amount = "5000.00", string? partner = "ycb",
        string name = "张三", string loanId = "LN-2026-000123")
    {
        var body = new Dictionary<string, object?>
        {
            ["loanId"] = loanId,
            ["amount"] = amount,
            ["currency"] = "CNY",
            ["beneficiary"] = new Dictionary<string, object?> { ["name"] = name, ["accountNumber"] = account, ["bankCode"] = "ICBC" },
            ["metadata"] = new Dictionary<string, object?> { ["channel"] = "app" },
        };
        if (partner is not null)
        {
            body["partner"] = partner;
        }

        return body;
    }

    public static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string? key, object body) =>
        client.SubmitRawAsync(key, JsonSerializer.Serialize(body));

    public static Task<HttpResponseMessage> SubmitRawAsync(this HttpClient client, string? key, string json, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payouts")
        {
            Content = new StringContent(json, Encoding.UTF8, contentType),
        };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        return client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string Str(this JsonElement element, string path)
    {
        var current = element;
        foreach (var part in path.Split('.'))
        {
            current = current.GetProperty(part);
        }

        return current.ValueKind == JsonValueKind.String ? current.GetString()! : current.GetRawText();
    }

    /// <summary>The <c>outcome</c> of each of a payout's attempts, in order.</summary>
    public static string[] Outcomes(this JsonElement payout) =>
        [.. payout.GetProperty("attempts").EnumerateArray().Select(a => a.Str("outcome"))];

    /// <summary>Polls GET /v1/payouts/{id} until the status is final (bounded).</summary>
    public static async Task<JsonElement> WaitFinalAsync(this HttpClient client, string id, TimeSpan? within = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var limit = within ?? TimeSpan.FromSeconds(30);
        while (true)
        {
            var payout = await (await client.GetAsync($"/v1/payouts/{id}")).JsonAsync();
            if (payout.Str("status") != "processing" || clock.Elapsed > limit)
            {
                return payout;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>GET that must answer 200; the body as JSON.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: HTTP {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body);
}
