using BenchmarkDotNet.Attributes;
using Gateway.Payouts;

namespace Gateway.Benchmarks.Payouts;

/// <summary>
/// <c>BodyReader.ReadAsync</c>: the typical body read from a stream (a MemoryStream here, so no
/// I/O is measured), parsed into a JsonDocument and fingerprinted, as the submit flow does.
/// </summary>
[MemoryDiagnoser]
public class BodyReaderBenchmarks
{
    private MemoryStream _stream = null!;

    [GlobalSetup]
    public void Setup() => _stream = new MemoryStream(Samples.BodyBytes, writable: false);

    [GlobalCleanup]
    public void Cleanup() => _stream.Dispose();

    [Benchmark]
    public async Task<string?> ReadBody()
    {
        _stream.Position = 0;
        var body = await BodyReader.ReadAsync(_stream, PayoutSubmission.MaxBodyBytes, CancellationToken.None);
        body.Json?.Dispose();
        return body.Fingerprint;
    }
}
