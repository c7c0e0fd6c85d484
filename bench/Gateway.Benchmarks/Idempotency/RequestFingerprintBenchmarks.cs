using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Idempotency;

namespace Gateway.Benchmarks.Idempotency;

/// <summary><c>RequestFingerprint.Compute</c>: canonical JSON of the typical body, then SHA-256 as hex.</summary>
[MemoryDiagnoser]
public class RequestFingerprintBenchmarks
{
    private JsonDocument _document = null!;

    [GlobalSetup]
    public void Setup() => _document = JsonDocument.Parse(Samples.BodyBytes);

    [GlobalCleanup]
    public void Cleanup() => _document.Dispose();

    [Benchmark]
    public string Fingerprint() => RequestFingerprint.Compute(_document.RootElement);
}
