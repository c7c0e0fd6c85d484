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
// Usage: Sandbox --gateway <path to Gateway.dll> [--instances 1..5] [--redis single|cluster] [--keep]
Console.OutputEncoding = Encoding.UTF8;
if (SandboxOptions.Read(args, Console.Out, Console.Error, out var exitCode) is not { } options)
{
    return exitCode;
}

var work = Directory.CreateTempSubdirectory("gateway-sandbox-").FullName;
const string ApiKey = GatewaySettings.ClientKey;
const string OpsKey = GatewaySettings.OnCallKey;

Console.WriteLine($"Sandbox working folder: {work}");
string redisConnection;
IAsyncDisposable redisOwner;
if (options.Cluster)
{
    RedisCluster cluster;
    try
    {
        cluster = await RedisCluster.StartAsync(Path.Combine(work, "redis-cluster"));
    }
    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
    {
        Console.WriteLine($"Sandbox run FAILED: the Redis Cluster did not form: {ex.Message}");
        return 1;
    }

    (redisConnection, redisOwner) = (cluster.ConnectionString, cluster);
    Console.WriteLine($"  redis cluster     {redisConnection} (3 primaries, 16384 slots, AOF; logs: {Path.Combine(work, "redis-cluster")})");
}
else
{
    var single = await RedisProcess.StartNewAsync(work);
    (redisConnection, redisOwner) = (single.Endpoint, single);
    Console.WriteLine($"  redis-server      {redisConnection} (AOF, appendfsync always)");
}

await using var redis = redisOwner;

using var ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3), SettleAfter = TimeSpan.FromSeconds(2) });
Console.WriteLine($"  ycb simulator     {ycb.Url}");
using var silkpay = SilkPaySimulator.Start(new SilkPaySimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3), SettleAfter = TimeSpan.FromSeconds(2) });
Console.WriteLine($"  silkpay simulator {silkpay.Url}");
using var prb = PrbSimulator.Start(new PrbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3), SettleAfter = TimeSpan.FromSeconds(2) });
Console.WriteLine($"  prb simulator     {prb.Url}");
int Executions(string id) => ycb.ExecutionCount(id) + silkpay.ExecutionCount(id) + prb.ExecutionCount(id);

// The shared settings (tools/Orchestration/GatewaySettings.cs) for the three simulators; the sandbox's own choices on top.
await using var gateways = GatewayFleet.Start(options.Instances, options.GatewayDll, work, GatewaySettings.Environment(
    redisConnection, new PartnerUrls(Ycb: ycb.Url, Prb: prb.Url, SilkPay: silkpay.Url)));
foreach (var instance in gateways.Instances)
{
    Console.WriteLine($"  gateway {instance.Name,-9} {instance.Url}   (pid {instance.Process.Pid}, log: {instance.LogPath})");
}

try
{
    await gateways.WaitReadyAsync(TimeSpan.FromSeconds(60));
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
{
    Console.WriteLine($"Sandbox run FAILED: {ex.Message}");
    ExplainGatewayFailure();
    return 1;
}

var http = gateways[0].Lender;
var onCall = gateways[0].OnCall;
Console.WriteLine();

var run = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
var items = DemoBatch.Items(run);
Console.WriteLine($"Submitting {items.Count} payouts" + (gateways.Instances.Count > 1 ? $" round-robin over {gateways.Instances.Count} gateways" : "")
    + ", one of them twice, one key reused with another body...");
var submissions = await Task.WhenAll(items.Select(async (item, index) =>
{
    var via = gateways[index];
    var response = await SubmitAsync(via.Lender, item.Key, Body(item));
    return (Item: item, Status: (int)response.StatusCode, Body: await JsonAsync(response), Via: via);
}));

var unanswered = submissions.Where(s => s.Body.ValueKind != JsonValueKind.Object || !s.Body.TryGetProperty("id", out _)).ToList();
if (unanswered.Count > 0)
{
    Console.WriteLine($"Sandbox run FAILED: {unanswered.Count} of {items.Count} submissions got no payout back:");
    foreach (var answer in unanswered.GroupBy(s => $"HTTP {s.Status} {ProblemType(s.Body)} {Detail(s.Body)}".Trim()))
    {
        Console.WriteLine($"  {answer.Count(),2} x {answer.Key} via {string.Join(",", answer.Select(s => s.Via.Name).Distinct())} (e.g. {answer.First().Item.LoanId})");
    }

    ExplainGatewayFailure();
    return 1;
}

// The same key again, through other instances when there are several: idempotency is shared through Redis.
var duplicate = items[0];
var replay = await SubmitAsync(gateways[1].Lender, duplicate.Key, Body(duplicate));
var reused = await SubmitAsync(gateways[2].Lender, duplicate.Key, Body(duplicate with { Amount = "9999.00" }));

// Wait for every payout to reach a final status (bounded).
var finals = new Dictionary<string, JsonElement>();
var clock = Stopwatch.StartNew();
foreach (var (item, _, body, via) in submissions)
{
    var id = body.GetProperty("id").GetString()!;
    JsonElement payout;
    do
    {
        payout = await JsonAsync(await via.Lender.GetAsync($"/v1/payouts/{id}"));
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
table.AppendLine(CultureInfo.InvariantCulture, $"{"loan",-15} {"via",-4} {"amount",11} {"POST",4} {"status",-10} {"partner",-8} {"cause",-24} {"owner",-15} {"calls",5} {"paid",4}  story");
table.AppendLine(new string('-', 135));
foreach (var (item, status, _, via) in submissions)
{
    var payout = finals[item.Key];
    var id = payout.GetProperty("id").GetString()!;
    var failure = payout.TryGetProperty("failure", out var f) ? f : (JsonElement?)null;
    table.AppendLine(CultureInfo.InvariantCulture,
        $"{item.LoanId,-15} {via.Name,-4} {item.Amount,11} {status,4} {payout.GetProperty("status").GetString(),-10} {payout.GetProperty("partner").GetString(),-8} {failure?.GetProperty("cause").GetString() ?? "-",-24} {failure?.GetProperty("owner").GetString() ?? "-",-15} {payout.GetProperty("attempts").GetArrayLength(),5} {Executions(id),4}  {item.Story}");
}

Console.Write(table);
Console.WriteLine();
Console.WriteLine($"Duplicate submission of {duplicate.LoanId} (same key, same body, via {gateways[1].Name}): HTTP {(int)replay.StatusCode}, Idempotent-Replayed: {(replay.Headers.TryGetValues("Idempotent-Replayed", out var r) ? string.Join(",", r) : "-")}");
Console.WriteLine($"Same key with another amount (via {gateways[2].Name}): HTTP {(int)reused.StatusCode} {(await JsonAsync(reused)).GetProperty("type").GetString()}");
Console.WriteLine();
Console.WriteLine("Diagnoses (what on-call and the borrower are told):");
foreach (var (item, _, _, _) in submissions)
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
if (options.Keep)
{
    await KeepRunningAsync();
}

return healthy ? 0 : 1;

// --keep: the stack stays up for a person (the /ops page, curl) until Ctrl-C, at most SandboxOptions.KeepAtMost.
async Task KeepRunningAsync()
{
    Console.WriteLine();
    Console.WriteLine($"Kept running (--keep) until Ctrl-C, at most {SandboxOptions.KeepAtMost.TotalMinutes:0} minutes:");
    foreach (var instance in gateways.Instances)
    {
        Console.WriteLine($"  {instance.Name,-9} {instance.Url}/ops   (on-call key: {OpsKey})");
        Console.WriteLine($"  {"",-9} {instance.Url}/health/ready");
    }

    Console.WriteLine($"  client key (X-Api-Key): {ApiKey}");
    Console.WriteLine($"  ycb {ycb.Url}, prb {prb.Url}, silkpay {silkpay.Url} (simulators); redis {redisConnection}");
    using var stop = new CancellationTokenSource(SandboxOptions.KeepAtMost);
    using var onInterrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
    using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
    await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    Console.WriteLine("Stopping the sandbox.");

    void Stop(System.Runtime.InteropServices.PosixSignalContext context)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}

// Why the gateways failed, from their logs; against a cluster, the likely cause is a key schema that is not cluster-safe yet.
void ExplainGatewayFailure()
{
    foreach (var instance in gateways.Instances)
    {
        foreach (var line in instance.Process.LogLines(["CROSSSLOT", "single slot", "non local key", "RedisCommandException", "RedisServerException", "RedisConnectionException"]))
        {
            Console.WriteLine($"  {instance.Name} log: {line}");
        }
    }

    if (options.Cluster)
    {
        Console.WriteLine("  The Redis Cluster itself formed (cluster_state:ok on all three nodes). A gateway whose Redis scripts or "
            + "multi-key commands touch keys in more than one hash slot fails against a cluster (CROSSSLOT, or StackExchange.Redis' "
            + "\"Multi-key operations must involve a single slot\"): its key schema must put each payout's keys under one hash tag.");
    }

    Console.WriteLine($"  Logs are in {work}.");
}

static string Detail(JsonElement problem) =>
    problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out var detail) ? detail.ToString() : "";

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

static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
{
    var text = await response.Content.ReadAsStringAsync();
    try
    {
        return JsonDocument.Parse(text).RootElement.Clone();
    }
    catch (JsonException)
    {
        return JsonSerializer.SerializeToElement(text); // not JSON (e.g. an empty 500): keep the text
    }
}
