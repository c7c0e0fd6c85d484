using System.Globalization;
using BenchmarkDotNet.Attributes;
using Gateway.Core;
using Gateway.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// <c>IdempotencyStore.ClaimAsync</c>, the Lua claim, against a real redis-server that the
/// benchmark starts on a free loopback port (no persistence) and stops at the end.
/// <c>ClaimCreated</c>: each call claims a new payout id (a counter), the created path.
/// <c>ClaimReplay</c>: the same id again after its creator released it, the replay path (the
/// stored payout read back and deserialised). One round trip to Redis per call.
/// </summary>
[MemoryDiagnoser]
public class IdempotencyClaimBenchmarks
{
    private const string Fingerprint = "3b5f0e6a2c9d4e8f1a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f";
    private static readonly TimeSpan InFlightFor = TimeSpan.FromSeconds(15);

    private RedisServer _server = null!;
    private ConnectionMultiplexer _redis = null!;
    private IdempotencyStore _store = null!;
    private PayoutRecord _payout = null!;
    private PayoutRecord _replayed = null!;
    private long _next;

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await RedisServer.StartAsync();
        _redis = await _server.ConnectAsync();
        _store = new IdempotencyStore(StateDatabase.Of(_redis), new InstanceIdentity(), Options.Create(new RecoveryOptions()), Options.Create(new PayoutsOptions()));
        _payout = new PayoutRecord
        {
            Id = "po_benchmark",
            Client = Samples.Client,
            LoanId = "LN-2026-000123",
            Amount = 5000.00m,
            Currency = "CNY",
            Beneficiary = new Beneficiary("张三", "6222020200112233445", "ICBC"),
            Status = PayoutStatus.Processing,
            Partner = "ycb",
            CreatedAt = DateTimeOffset.UtcNow,
        };

        // The replay path: claimed once, then released by its creator.
        _replayed = _payout with { Id = "po_replayed" };
        await _store.ClaimAsync(_replayed, Fingerprint, InFlightFor);
        await _store.ReleaseAsync(_replayed.Id);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _redis.Dispose();
        _server.Dispose();
    }

    [Benchmark]
    public async Task<ClaimOutcome> ClaimCreated()
    {
        var payout = _payout with { Id = "po_" + (++_next).ToString(CultureInfo.InvariantCulture) };
        return (await _store.ClaimAsync(payout, Fingerprint, InFlightFor)).Outcome;
    }

    [Benchmark]
    public async Task<ClaimOutcome> ClaimReplay() => (await _store.ClaimAsync(_replayed, Fingerprint, InFlightFor)).Outcome;
}
