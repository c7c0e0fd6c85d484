using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gateway.Payouts;

namespace Gateway.Tests.Payouts;

/// <summary>
/// For any generated sequence of partner behaviours (execute, accept and hold, reject, refuse the
/// connection, lose the request or the answer, hide a fresh record, answer unreadably), crashes,
/// lease losses (takeover while the owner lives on, fenced), shutdowns and restarts, a model of all
/// three partners' ledgers driven only through <see cref="PayoutDecisions.Decide"/> never executes
/// the payout twice — on one partner or across partners — and, after a fault-free tail, every
/// sequence ends final: succeeded exactly when one partner executed it, failed exactly when none did.
/// </summary>
public sealed class AtMostOnceModelProperty
{
    [Property(MaxTest = 500, Arbitrary = new[] { typeof(Scenarios) })]
    public void AnySequence_ExecutesAtMostOnceAcrossPartners_AndEndsFinal(Scenario scenario)
    {
        var model = new AtMostOnceModel(scenario);

        model.Run(() =>
        {
            var executions = model.Executions;
            Assert.True(executions.Values.All(n => n <= 1) && executions.Values.Sum() <= 1,
                $"executed more than once: {string.Join(", ", executions)}\n{string.Join('\n', model.Trace)}");
        });

        var total = model.Executions.Values.Sum();
        var story = $"status {model.Stored.Status}, executions {string.Join(", ", model.Executions)}\n{string.Join('\n', model.Trace)}";
        Assert.True(model.Stored.IsFinal, "never final: " + story);
        Assert.True(model.Stored.Status == PayoutStatus.Succeeded ? total == 1 : total == 0, story);
    }
}

/// <summary>Generates and shrinks <see cref="Scenario"/>s: shrinking drops operations and behaviours one at a time.</summary>
public static class Scenarios
{
    public static Arbitrary<Scenario> Scenario() => Arb.From(Generate(), Shrink);

    private static Gen<Scenario> Generate() =>
        from routed in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from ops in Op().ListOf().Select(l => l.ToArray())
        from sends in Gen.Elements(Enum.GetValues<SendFate>()).ListOf().Select(l => l.ToArray())
        from inquiries in Gen.Frequency(
            (3, Gen.Constant(InquiryFate.Truthful)), (2, Gen.Constant(InquiryFate.HiddenWithinGrace)), (1, Gen.Constant(InquiryFate.Unreadable)))
            .ListOf().Select(l => l.ToArray())
        select new Scenario(routed, ops, sends, inquiries);

    private static Gen<Op> Op() => Gen.Frequency(
        (10, Gen.Choose(0, 3).Select(i => new Op(OpKind.Step, i))),
        (1, Gen.Choose(0, 3).Select(i => new Op(OpKind.Crash, i))),
        (2, Gen.Choose(0, 3).Select(i => new Op(OpKind.TakeOver, i))),
        (1, Gen.Choose(0, 3).Select(i => new Op(OpKind.Drain, i))),
        (3, Gen.Elements(50, 500, 1_000, 2_500, 25_000).Select(ms => new Op(OpKind.Advance, ms))),
        (2, Gen.Choose(0, 11).Select(i => new Op(OpKind.Settle, i))));

    private static IEnumerable<Scenario> Shrink(Scenario s)
    {
        for (var i = s.Ops.Length - 1; i >= 0; i--)
        {
            yield return s with { Ops = Without(s.Ops, i) };
        }

        for (var i = s.Sends.Length - 1; i >= 0; i--)
        {
            yield return s with { Sends = Without(s.Sends, i) };
        }

        for (var i = s.Inquiries.Length - 1; i >= 0; i--)
        {
            yield return s with { Inquiries = Without(s.Inquiries, i) };
        }
    }

    private static T[] Without<T>(T[] items, int index) => [.. items.Take(index), .. items.Skip(index + 1)];
}
