using LoadDriver.Api;
using LoadDriver.Checks;
using LoadDriver.Payouts;

namespace Load.Tests.Checks;

public sealed class CorrectnessChecksTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluate_ConsistentRun_EveryCheckHolds()
    {
        var checks = Evaluate([Payout("k1", "po_1", "succeeded", Answer(201)), Payout("k2", "po_2", "failed", Answer(201))],
            new Dictionary<string, int> { ["po_1"] = 1 });

        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
    }

    [Fact]
    public void Evaluate_ReferenceExecutedTwice_Fails()
    {
        var checks = Evaluate([Payout("k1", "po_1", "succeeded", Answer(201))], new Dictionary<string, int> { ["po_1"] = 2 });

        Assert.False(Named(checks, "no payout executed twice").Passed);
        Assert.False(Named(checks, "every succeeded payout executed exactly once").Passed);
    }

    [Fact]
    public void Evaluate_FailedButExecuted_Fails()
    {
        var checks = Evaluate([Payout("k1", "po_1", "failed", Answer(201))], new Dictionary<string, int> { ["po_1"] = 1 });

        var check = Named(checks, "every failed payout executed zero times");
        Assert.False(check.Passed);
        Assert.Contains("po_1", check.Examples.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RepeatedKeyCreatedTwice_Fails()
    {
        var checks = Evaluate([Payout("k1", "po_1", "succeeded", Answer(201), Answer(201))], new Dictionary<string, int> { ["po_1"] = 1 });

        Assert.False(Named(checks, "every repeated key: at most one 201, the others 200 replay or 409").Passed);
    }

    [Fact]
    public void Evaluate_RepeatedKeyAnsweredReplayAndInUse_Holds()
    {
        var checks = Evaluate([Payout("k1", "po_1", "succeeded", Answer(201), Answer(409), Answer(200, replayed: true))],
            new Dictionary<string, int> { ["po_1"] = 1 });

        Assert.True(Named(checks, "every repeated key: at most one 201, the others 200 replay or 409").Passed);
    }

    [Fact]
    public void Evaluate_StillProcessing_FailsWhenFinalityRequired_HoldsWhileActiveOtherwise()
    {
        var processing = Payout("k1", "po_1", "processing", Answer(201)) with
        {
            Payout = new PayoutView("po_1", "processing", null, 3, "timeout", Now.AddSeconds(-2)),
        };

        var strict = Evaluate([processing], new Dictionary<string, int>(), new CheckPolicy());
        var lenient = Evaluate([processing], new Dictionary<string, int>(), new CheckPolicy { RequireAllFinal = false });
        var abandoned = Evaluate([processing with { Payout = processing.Payout! with { LastAttemptAt = Now.AddMinutes(-5) } }],
            new Dictionary<string, int>(), new CheckPolicy { RequireAllFinal = false });

        Assert.False(Named(strict, "every payout final").Passed);
        Assert.True(Named(lenient, "every payout final, or processing and still being resolved").Passed);
        Assert.False(Named(abandoned, "every payout final, or processing and still being resolved").Passed);
    }

    [Fact]
    public void Evaluate_PayoutTheApiCannotShow_FailsUnlessThePolicyExplainsItsLoss()
    {
        var lost = Payout("k1", "po_1", "succeeded", Answer(201)) with { Payout = null };
        var payouts = new[] { lost, Payout("k2", "po_2", "succeeded", Answer(201)) with { Payout = null } };

        var strict = Evaluate(payouts, new Dictionary<string, int> { ["po_1"] = 1, ["po_2"] = 1 }, new CheckPolicy());
        var excused = Evaluate(payouts, new Dictionary<string, int> { ["po_1"] = 1, ["po_2"] = 1 },
            new CheckPolicy { MissingPayoutExplained = p => p.Key == "k1" });

        Assert.False(Named(strict, "every sent key has a payout the API shows").Passed);
        var check = Named(excused, "every sent key has a payout the API shows");
        Assert.False(check.Passed);
        Assert.Contains("k2", check.Examples.Single(), StringComparison.Ordinal);
        Assert.True(Named(Evaluate([lost], new Dictionary<string, int> { ["po_1"] = 1 }, new CheckPolicy { MissingPayoutExplained = _ => true }),
            "every sent key has a payout the API shows").Passed);
    }

    [Fact]
    public void Evaluate_ServerError_FailsUnlessThePolicyExplainsIt()
    {
        var payouts = new[] { Payout("k1", "po_1", "failed", Answer(503, problem: "state-store-unavailable"), Answer(201)) };

        var strict = Evaluate(payouts, new Dictionary<string, int>(), new CheckPolicy());
        var excused = Evaluate(payouts, new Dictionary<string, int>(), new CheckPolicy
        {
            ServerErrorExplained = a => a.ProblemSlug == "state-store-unavailable",
            RepeatAnswerExplained = a => a.ProblemSlug == "state-store-unavailable",
            Allowance = "test",
        });

        Assert.False(Named(strict, "no 5xx answers").Passed);
        Assert.All(excused, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
    }

    [Fact]
    public void Evaluate_ExecutionOfUnknownReference_FailsOnlyWhenTheLedgerIsExclusive()
    {
        var payouts = new[] { Payout("k1", "po_1", "succeeded", Answer(201)) };
        var ledger = new Dictionary<string, int> { ["po_1"] = 1, ["po_other"] = 1 };

        Assert.Contains(CorrectnessChecks.Evaluate(payouts, ledger, true, new CheckPolicy(), Now), c => !c.Passed);
        Assert.All(CorrectnessChecks.Evaluate(payouts, ledger, false, new CheckPolicy(), Now), c => Assert.True(c.Passed));
    }

    private static IReadOnlyList<CheckResult> Evaluate(IReadOnlyList<ResolvedPayout> payouts, IReadOnlyDictionary<string, int> ledger, CheckPolicy? policy = null) =>
        CorrectnessChecks.Evaluate(payouts, ledger, true, policy ?? new CheckPolicy(), Now);

    private static CheckResult Named(IReadOnlyList<CheckResult> checks, string name) => checks.Single(c => c.Name == name);

    private static ResolvedPayout Payout(string key, string id, string status, params SubmitAnswer[] answers) =>
        new(key, status == "failed" ? PayoutKind.Reject : PayoutKind.Ordinary, answers, [], id,
            new PayoutView(id, status, status == "failed" ? "ACCOUNT_FROZEN" : null, 1, "answered", Now))
        {
            Expected = status == "failed" ? PayoutExpectation.FailedWith("ACCOUNT_FROZEN", null) : PayoutExpectation.SucceededAt(null),
        };

    private static SubmitAnswer Answer(int status, bool replayed = false, string? problem = null) =>
        new(status, status is 200 or 201 ? "po_1" : null, null, replayed, problem is null ? null : "https://gateway.example/problems/" + problem, null, null, Now, Now);
}
