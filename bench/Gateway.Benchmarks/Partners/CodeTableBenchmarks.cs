using System.Net;
using BenchmarkDotNet.Attributes;
using Gateway.Core;
using Gateway.Diagnosis;
using Gateway.Partners;
using Gateway.Partners.Ycb;

namespace Gateway.Benchmarks.Partners;

/// <summary>
/// The ycb code table. <c>Find</c>: the lookup of a retCode (1004, a rejection) in the loaded
/// table. <c>ReadAnswer</c>: <see cref="YcbClient"/> sending a disbursement and turning a canned ycb answer with that retCode
/// into a <see cref="PartnerAnswer"/> through the table (an <see cref="IYcbApi"/> that answers at
/// once stands in for Refit and the network).
/// </summary>
[MemoryDiagnoser]
public class CodeTableBenchmarks
{
    private const string Code = "1004";

    private static readonly DisbursementOrder Order = new(
        "po_abcdefghijklmnopqrstuvwxyz", 5000.00m, "CNY", new Beneficiary("张三", "6222020200112233445", "ICBC"), "LN-2026-000123");

    private CodeTable _table = null!;
    private YcbClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _table = Samples.Partners().Get(YcbOptions.Name).Codes;
        var answer = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new YcbAnswer(Code, "收款户名不符", new YcbAnswerData("po_abcdefghijklmnopqrstuvwxyz", null, "F")), PartnerWire.Json);
        _client = new YcbClient(new CannedYcbApi(answer), new PartnerWire(YcbOptions.Name, _table, TimeProvider.System));
    }

    [Benchmark]
    public CodeRow? Find() => _table.Find(Code);

    [Benchmark]
    public Task<PartnerAnswer> ReadAnswer() => _client.DisburseAsync(Order, CancellationToken.None);

    private sealed class CannedYcbApi(byte[] answer) : IYcbApi
    {
        private static readonly HttpRequestMessage Request = new(HttpMethod.Post, "http://127.0.0.1:1/api/v2/disburse");

        public Task<HttpResponseMessage> DisburseAsync(YcbDisburseRequest request, CancellationToken cancellationToken) => Answer();

        public Task<HttpResponseMessage> InquireAsync(string reqSeqNo, CancellationToken cancellationToken) => Answer();

        private Task<HttpResponseMessage> Answer() =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = Request, Content = new ByteArrayContent(answer) });
    }
}
