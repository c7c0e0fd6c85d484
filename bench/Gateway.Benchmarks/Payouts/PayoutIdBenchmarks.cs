using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Core;
using Gateway.Payouts;
using Microsoft.Extensions.Options;

namespace Gateway.Benchmarks.Payouts;

/// <summary>
/// The payout id of (client, Idempotency-Key): <c>PayoutIds.Derive</c> (the service, current
/// secret) and <c>PayoutId.Derive</c> (HMAC-SHA256 and base32 underneath it).
/// </summary>
[MemoryDiagnoser]
public class PayoutIdBenchmarks
{
    private PayoutIds _ids = null!;
    private byte[] _secret = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ids = new PayoutIds(Options.Create(new PayoutIdOptions { IdSecret = Samples.IdSecret }));
        _secret = Encoding.UTF8.GetBytes(Samples.IdSecret);
    }

    [Benchmark]
    public string PayoutIdsDerive() => _ids.Derive(Samples.Client, Samples.IdempotencyKey);

    [Benchmark]
    public string PayoutIdDerive() => PayoutId.Derive(_secret, Samples.Client, Samples.IdempotencyKey);
}
