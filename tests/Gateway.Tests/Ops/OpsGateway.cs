using Gateway.Tests.Fixtures;
using Orchestration;
using Simulators.Ycb;

namespace Gateway.Tests.Ops;

/// <summary>
/// The real gateway process on a real port (as a browser or Prometheus reaches it) in front of a
/// ycb simulator, with a seeded set of payouts, shared by one test class. It starts on first use,
/// once the collection's Redis is known.
/// </summary>
public sealed class OpsGateway : IAsyncLifetime
{
    public const string FrozenAccount = "629900000000001003";
    public const string RiskAccount = "629900000000002001";

    /// <summary>A loan id that is markup: the page must show it as text.</summary>
    public const string MarkupLoanId = "<img src=x data-testid=\"injected\">";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private GatewayProcess? _process;
    private SeededPayouts? _seeded;

    public YcbSimulator Ycb { get; private set; } = null!;

    public GatewayProcess Process => _process ?? throw new InvalidOperationException("Call StartAsync first.");

    public SeededPayouts Seeded => _seeded ?? throw new InvalidOperationException("Call StartAsync first.");

    /// <summary>Starts the gateway once and submits 2 successes, 2 frozen accounts and 1 risk decline.</summary>
    public async Task StartAsync(RedisFixture redis)
    {
        await _gate.WaitAsync();
        try
        {
            if (_process is not null)
            {
                return;
            }

            var settings = GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), Ycb.Url);
            _process = await GatewayProcesses.StartAsync(settings);
            using var client = _process.ClientFor();
            var submitted = new List<SeededPayout>();
            foreach (var (account, loanId) in new[]
            {
                (Accounts.New(), "LN-OPS-1"), (FrozenAccount, "LN-OPS-2"), (RiskAccount, MarkupLoanId),
                (Accounts.New(), "LN-OPS-3"), (FrozenAccount, "LN-OPS-4"),
            })
            {
                var payout = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: account, loanId: loanId))).JsonAsync();
                Assert.NotEqual("processing", payout.Str("status"));
                submitted.Add(new SeededPayout(payout.Str("id"), payout.Str("status"),
                    payout.Str("status") == "failed" ? payout.Str("failure.cause") : null,
                    payout.Str("status") == "failed" ? payout.Str("failure.summary") : null));
            }

            _seeded = new SeededPayouts(submitted);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync()
    {
        Ycb = YcbSimulator.Start(new YcbSimulatorOptions { SettleAfter = TimeSpan.FromMilliseconds(600) });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        Ycb.Dispose();
        _gate.Dispose();
    }
}

public sealed record SeededPayout(string Id, string Status, string? Cause, string? Summary);

public sealed record SeededPayouts(IReadOnlyList<SeededPayout> All)
{
    public IReadOnlyList<SeededPayout> Failed => [.. All.Where(p => p.Status == "failed")];

    public IReadOnlyList<SeededPayout> Succeeded => [.. All.Where(p => p.Status == "succeeded")];
}
