using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Orchestration;
using Sandbox;
using Simulators.Prb;
using Simulators.SilkPay;
using Simulators.Ycb;

// Sandbox mode: real Redis (AOF), the partner simulators and the gateway as its own process, configured
// only through the contract's keys; then a demo batch and a summary of outcomes and diagnoses.
// Usage: Sandbox --gateway <path to Gateway.dll>
Console.OutputEncoding = Encoding.UTF8;
var gatewayDll = args.SkipWhile(a => a != "--gateway").Skip(1).FirstOrDefault()
    ?? throw new ArgumentException("usage: Sandbox --gateway <path to Gateway.dll>");
var work = Directory.CreateTempSubdirectory("gateway-sandbox-").FullName;
const string ApiKey = "sandbox-lender-key-not-secret";
const string OpsKey = "sandbox-on-call-key-not-secret";

Console.WriteLine($"Sandbox working folder: {work}");
var redisPort = ChildProcess.FreePort();
await using var redis = ChildProcess.Start(ChildProcess.Which("redis-server"),
[
    "--port", redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", work,
    "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
], Path.Combine(work, "redis.log"));
Console.WriteLine($"  redis-server      127.0.0.1:{redisPort} (AOF, appendfsync always)");

using var ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3), SettleAfter = TimeSpan.FromSeconds(2) });
Console.WriteLine($"  ycb simulator     {ycb.Url}");
using var silkpay = SilkPaySimulator.Start(new SilkPaySimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3), SettleAfter = TimeSpan.FromSeconds(2) });
Console.WriteLine($"  silkpay simulator {silkpay.Url}");
using var prb = PrbSimulator.Start(new PrbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3), SettleAfter = TimeSpan.FromSeconds(2) });
Console.WriteLine($"  prb simulator     {prb.Url}");
int Executions(string id) => ycb.ExecutionCount(id) + silkpay.ExecutionCount(id) + prb.ExecutionCount(id);

var gatewayPort = ChildProcess.FreePort();
var gatewayUrl = $"http://127.0.0.1:{gatewayPort}";
var gatewayLog = Path.Combine(work, "gateway.log");
await using var gateway = ChildProcess.Start("dotnet", [Path.GetFullPath(gatewayDll)], gatewayLog, new Dictionary<string, string>
{
    ["ASPNETCORE_URLS"] = gatewayUrl,
    ["DOTNET_ENVIRONMENT"] = "Production",
    ["ConnectionStrings__Redis"] = $"127.0.0.1:{redisPort}",
    ["Auth__ApiKeys__sandbox-lender"] = ApiKey,
    ["Payouts__IdSecret"] = "sandbox-payout-id-secret-not-a-real-secret",
    ["Auth__OpsKeys__sandbox-on-call"] = OpsKey,
    ["Partners__ycb__BaseUrl"] = ycb.Url,
    ["Partners__ycb__AppId"] = "sandbox-ycb-app",
    ["Partners__ycb__AppSecret"] = "sandbox-ycb-secret-not-real",
    ["Partners__ycb__Timeout"] = "00:00:01.500",
    ["Partners__silkpay__BaseUrl"] = silkpay.Url,
    ["Partners__silkpay__SecretKey"] = "sk_test_sandbox_silkpay_not_real",
    ["Partners__silkpay__Timeout"] = "00:00:01.500",
    ["Partners__prb__BaseUrl"] = prb.Url,
    ["Partners__prb__Token"] = "sandbox-prb-token-not-real",
    ["Partners__prb__Timeout"] = "00:00:01.500",
    ["Routing__Order"] = "ycb,prb,silkpay",
    ["Payouts__SyncBudget"] = "00:00:06",
    ["Logging__Format"] = "text",
}, workingDirectory: Path.GetDirectoryName(Path.GetFullPath(gatewayDll)));
Console.WriteLine($"  gateway           {gatewayUrl}   (log: {gatewayLog})");

using var http = new HttpClient { BaseAddress = new Uri(gatewayUrl), Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
using var onCall = new HttpClient { BaseAddress = new Uri(gatewayUrl), Timeout = TimeSpan.FromSeconds(30) };
onCall.DefaultRequestHeaders.Add("X-Api-Key", OpsKey);
await WaitReadyAsync(http, gateway);
Console.WriteLine();

var run = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
var items = DemoBatch.Items(run);
Console.WriteLine($"Submitting {items.Count} payouts, one of them twice, one key reused with another body...");
var submissions = await Task.WhenAll(items.Select(async item =>
{
    var response = await SubmitAsync(http, item.Key, Body(item));
    return (Item: item, Status: (int)response.StatusCode, Body: await JsonAsync(response));
}));

var duplicate = items[0];
var replay = await SubmitAsync(http, duplicate.Key, Body(duplicate));
var reused = await SubmitAsync(http, duplicate.Key, Body(duplicate with { Amount = "9999.00" }));

// Wait for every payout to reach a final status (bounded).
var finals = new Dictionary<string, JsonElement>();
var clock = Stopwatch.StartNew();
foreach (var (item, _, body) in submissions)
{
    var id = body.GetProperty("id").GetString()!;
    JsonElement payout;
    do
    {
        payout = await JsonAsync(await http.GetAsync($"/v1/payouts/{id}"));
        if (payout.GetProperty("status").GetString() != "processing")
        {
            break;
        }

        await Task.Delay(200);
    }
    while (clock.Elapsed < TimeSpan.FromSeconds(60));
    finals[item.Key] = payout;
}

Console.WriteLine();
var table = new StringBuilder();
table.AppendLine(CultureInfo.InvariantCulture, $"{"loan",-15} {"amount",11} {"POST",4} {"status",-10} {"partner",-8} {"cause",-24} {"owner",-15} {"calls",5} {"paid",4}  story");
table.AppendLine(new string('-', 130));
foreach (var (item, status, _) in submissions)
{
    var payout = finals[item.Key];
    var id = payout.GetProperty("id").GetString()!;
    var failure = payout.TryGetProperty("failure", out var f) ? f : (JsonElement?)null;
    table.AppendLine(CultureInfo.InvariantCulture,
        $"{item.LoanId,-15} {item.Amount,11} {status,4} {payout.GetProperty("status").GetString(),-10} {payout.GetProperty("partner").GetString(),-8} {failure?.GetProperty("cause").GetString() ?? "-",-24} {failure?.GetProperty("owner").GetString() ?? "-",-15} {payout.GetProperty("attempts").GetArrayLength(),5} {Executions(id),4}  {item.Story}");
}

Console.Write(table);
Console.WriteLine();
Console.WriteLine($"Duplicate submission of {duplicate.LoanId} (same key, same body): HTTP {(int)replay.StatusCode}, Idempotent-Replayed: {(replay.Headers.TryGetValues("Idempotent-Replayed", out var r) ? string.Join(",", r) : "-")}");
Console.WriteLine($"Same key with another amount: HTTP {(int)reused.StatusCode} {(await JsonAsync(reused)).GetProperty("type").GetString()}");
Console.WriteLine();
Console.WriteLine("Diagnoses (what on-call and the borrower are told):");
foreach (var (item, _, _) in submissions)
{
    if (finals[item.Key].TryGetProperty("failure", out var failure))
    {
        Console.WriteLine($"  {item.LoanId} {failure.GetProperty("cause").GetString()} [{failure.GetProperty("category").GetString()}] -> {failure.GetProperty("owner").GetString()}, {failure.GetProperty("resubmit").GetString()}");
        Console.WriteLine($"      on-call:  {failure.GetProperty("summary").GetString()}");
        Console.WriteLine($"      borrower: {failure.GetProperty("borrowerMessage").GetProperty("en").GetString()}");
        Console.WriteLine($"                {failure.GetProperty("borrowerMessage").GetProperty("zh-CN").GetString()}");
    }
}

Console.WriteLine();
Console.WriteLine("On-call view (GET /v1/diagnostics/failures?window=1h): who must act");
var report = await JsonAsync(await onCall.GetAsync("/v1/diagnostics/failures?window=1h"));
foreach (var row in report.GetProperty("byCause").EnumerateArray())
{
    Console.WriteLine($"  {row.GetProperty("count").GetInt64(),3} x {row.GetProperty("cause").GetString(),-26} owner {row.GetProperty("owner").GetString(),-15} e.g. {row.GetProperty("latestPayoutId").GetString()}");
}

var balance = await http.GetAsync("/partners/ycb/api/v2/accounts/balance");
Console.WriteLine();
Console.WriteLine($"Pass-through GET /partners/ycb/api/v2/accounts/balance (signed by the gateway): HTTP {(int)balance.StatusCode}, available " +
    $"{(balance.IsSuccessStatusCode ? (await JsonAsync(balance)).GetProperty("data").GetProperty("available").GetString() : "-")} CNY");

// Least privilege: the pass-through never moves money, and an on-call key cannot submit.
var executionsBefore = ycb.Executions.Count;
using var disburse = new HttpRequestMessage(HttpMethod.Post, "/partners/ycb/api/v2/disburse")
{
    Content = new StringContent("""{"reqSeqNo":"po_sandbox_bypass","payeeAcctNo":"6222020200112233445","payeeName":"x","payeeBankCode":"ICBC","amount":"1.00","currency":"CNY"}""",
        System.Text.Encoding.UTF8, "application/json"),
};
var bypass = await http.SendAsync(disburse);
var onCallSubmit = await SubmitAsync(onCall, "sandbox-on-call-" + run, Body(items[0]));
var refusedSafely = (int)bypass.StatusCode == 403 && (int)onCallSubmit.StatusCode == 403 && ycb.Executions.Count == executionsBefore;
Console.WriteLine($"Pass-through POST /partners/ycb/api/v2/disburse: HTTP {(int)bypass.StatusCode} {ProblemType(await JsonAsync(bypass))}; " +
    $"POST /v1/payouts with the on-call key: HTTP {(int)onCallSubmit.StatusCode} {ProblemType(await JsonAsync(onCallSubmit))}; " +
    $"ycb executions meanwhile: {ycb.Executions.Count - executionsBefore}.");

var statuses = finals.Values.GroupBy(p => p.GetProperty("status").GetString()!).ToDictionary(g => g.Key, g => g.Count());
var doubled = finals.Values.Select(p => p.GetProperty("id").GetString()!).Where(id => Executions(id) > 1).ToList();
var paidButNotSucceeded = finals.Values.Where(p => Executions(p.GetProperty("id").GetString()!) == 1
    && p.GetProperty("status").GetString() != "succeeded").ToList();
Console.WriteLine();
Console.WriteLine($"Outcomes: {string.Join(", ", statuses.Select(s => $"{s.Value} {s.Key}"))}; " +
    $"partner executions: {ycb.Executions.Count + silkpay.Executions.Count + prb.Executions.Count}; executed twice: {doubled.Count}; paid but not reported succeeded: {paidButNotSucceeded.Count}.");

var healthy = doubled.Count == 0 && paidButNotSucceeded.Count == 0 && !statuses.ContainsKey("processing")
    && replay.StatusCode == HttpStatusCode.OK && (int)reused.StatusCode == 422 && refusedSafely;
Console.WriteLine(healthy ? "Sandbox run consistent: every payout final, none executed twice." : "Sandbox run INCONSISTENT: see above.");
return healthy ? 0 : 1;

static string ProblemType(JsonElement problem) =>
    problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("type", out var type) ? type.GetString()!.Split('/')[^1] : "";

static Dictionary<string, object?> Body(DemoBatch.Item item)
{
    var body = new Dictionary<string, object?>
    {
        ["loanId"] = item.LoanId,
        ["amount"] = item.Amount,
        ["currency"] = "CNY",
        ["beneficiary"] = new Dictionary<string, string> { ["name"] = item.Name, ["accountNumber"] = item.Account, ["bankCode"] = "ICBC" },
        ["metadata"] = new Dictionary<string, string> { ["channel"] = "sandbox" },
    };
    if (item.Partner is not null)
    {
        body["partner"] = item.Partner;
    }

    return body;
}

static Task<HttpResponseMessage> SubmitAsync(HttpClient http, string key, object body)
{
    var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payouts")
    {
        Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
    };
    request.Headers.Add("Idempotency-Key", key);
    return http.SendAsync(request);
}

static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
    JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

static async Task WaitReadyAsync(HttpClient http, ChildProcess gateway)
{
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromSeconds(60))
    {
        if (gateway.HasExited)
        {
            throw new InvalidOperationException("The gateway exited during start-up; see its log.");
        }

        try
        {
            if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }

        await Task.Delay(200);
    }

    throw new TimeoutException("The gateway did not become ready within 60 s.");
}
