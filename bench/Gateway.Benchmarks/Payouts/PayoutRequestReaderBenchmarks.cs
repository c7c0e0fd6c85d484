using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Core;
using Gateway.Partners;
using Gateway.Payouts;

namespace Gateway.Benchmarks.Payouts;

/// <summary><c>PayoutRequestReader.Read</c>: validation of the typical body, already parsed.</summary>
[MemoryDiagnoser]
public class PayoutRequestReaderBenchmarks
{
    private JsonDocument _document = null!;
    private PartnerRegistry _partners = null!;
    private decimal _maxAmount;

    [GlobalSetup]
    public void Setup()
    {
        _document = JsonDocument.Parse(Samples.BodyBytes);
        _partners = Samples.Partners();
        _maxAmount = new PayoutsOptions().MaxAmount;
    }

    [GlobalCleanup]
    public void Cleanup() => _document.Dispose();

    [Benchmark]
    public PayoutRequest? ReadRequest() => PayoutRequestReader.Read(_document.RootElement, _maxAmount, _partners).Request;
}
