using FsCheck;
using FsCheck.Fluent;
using LoadDriver.Payouts;

namespace Load.Tests.Payouts;

public sealed class PayoutMixTests
{
    [Fact]
    public void Parse_KindAtPartner_NamesThePartner()
    {
        var mix = PayoutMix.Parse("ordinary=5, reject@prb=2, slow@SilkPay=1, failover=3");

        Assert.Equal(
            [new MixEntry(PayoutKind.Ordinary, null, 5), new MixEntry(PayoutKind.Reject, "prb", 2), new MixEntry(PayoutKind.Slow, "silkpay", 1), new MixEntry(PayoutKind.Failover, null, 3)],
            mix.Entries);
        Assert.Equal(11, mix.Total);
        Assert.Equal("ordinary=5,reject@prb=2,slow@silkpay=1,failover=3", mix.ToString());
    }

    [Fact]
    public void Parse_RepeatedTerm_LastWins() =>
        Assert.Equal([new MixEntry(PayoutKind.Ordinary, "prb", 7)], PayoutMix.Parse("ordinary@prb=1,ordinary@prb=7").Entries);

    [Theory]
    [InlineData("ordinary@bogus=5")]
    [InlineData("failover@prb=5")]
    [InlineData("ordinary=1,duplicate@ycb=5")]
    [InlineData("ordinary@=5")]
    [InlineData("ordinary=10001")]
    [InlineData("ordinary=0,reject@prb=0")]
    public void Parse_InvalidTerm_Refused(string mix) => Assert.Throws<FormatException>(() => PayoutMix.Parse(mix));

    [Fact]
    public void Default_PutsRealTrafficOnEveryPartnerAndEveryKind()
    {
        var plan = new PayoutPlanner("run", PayoutMix.Default, 11).Plan("steady", 1_500);

        Assert.All(PartnerNames.All, partner => Assert.Contains(plan, p => p.Kind == PayoutKind.Ordinary && p.Expected.Partner == partner));
        Assert.All(PartnerNames.All, partner => Assert.Contains(plan, p => p.Kind == PayoutKind.Reject && p.Expected.Partner == partner));
        Assert.All(Enum.GetValues<PayoutKind>(), kind => Assert.Contains(plan, p => p.Kind == kind));
    }

    [Fact]
    public void EntryAt_EveryDraw_FallsOnATermByWeight()
    {
        var mix = PayoutMix.Parse("ordinary=2,reject@prb=0,drop@silkpay=1");

        Assert.Equal(["ordinary", "ordinary", "drop@silkpay"], Enumerable.Range(0, mix.Total).Select(d => mix.EntryAt(d).Label));
        Assert.Throws<ArgumentOutOfRangeException>(() => mix.EntryAt(mix.Total));
    }

    /// <summary>Any mix written out parses back to itself.</summary>
    [FsCheck.Xunit.Property]
    public Property ToString_ParsesBackToTheSameMix() =>
        Prop.ForAll(Mixes().ToArbitrary(), mix => PayoutMix.Parse(mix.ToString()).Entries.SequenceEqual(mix.Entries));

    private static Gen<PayoutMix> Mixes()
    {
        var terms = Enum.GetValues<PayoutKind>()
            .SelectMany(kind => kind is PayoutKind.Failover or PayoutKind.Duplicate
                ? [(kind, (string?)null)]
                : PartnerNames.All.Select(p => (kind, (string?)p)).Prepend((kind, null)))
            .ToArray();
        var entry = from term in Gen.Elements(terms)
                    from weight in Gen.Choose(1, 10_000)
                    select new MixEntry(term.kind, term.Item2, weight);
        return from entries in Gen.NonEmptyListOf(entry)
               let distinct = entries.GroupBy(e => (e.Kind, e.Partner)).Select(g => g.Last()).ToList()
               where distinct.Any(e => e.Kind != PayoutKind.Duplicate)
               select new PayoutMix(distinct);
    }
}
