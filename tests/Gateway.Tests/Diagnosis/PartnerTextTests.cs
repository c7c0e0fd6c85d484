using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gateway.Partners;

namespace Gateway.Tests.Diagnosis;

/// <summary>What a partner writes is cut, cleaned and stripped of account numbers before the gateway keeps it.</summary>
public sealed class PartnerTextTests
{
    [Fact]
    public void Message_EchoedAccountNumber_KeepsOnlyItsLastFourDigits()
    {
        var scrubbed = PartnerText.Message("收款账户6222020200112233445已冻结");

        Assert.Equal("收款账户****3445已冻结", scrubbed);
    }

    [Theory]
    [InlineData("account 6222 0202 0011 2233 445 frozen", "account ****3445 frozen")]
    [InlineData("phone 138-1234-5678", "phone ****5678")]
    [InlineData("ref 123456", "ref ****")]
    [InlineData("full-width ６２２２０２０２００１１", "full-width ****００１１")]
    public void Message_DigitRuns_AreMasked(string text, string expected)
    {
        Assert.Equal(expected, PartnerText.Message(text));
    }

    [Theory]
    [InlineData("retCode 1003 at 2026-11-22 08:00")]
    [InlineData("amount 5000.00 over limit")]
    [InlineData("AC06")]
    public void Message_ShortNumbers_AreKept(string text)
    {
        Assert.Equal(text, PartnerText.Message(text));
    }

    [Fact]
    public void Message_ZeroWidthInsideADigitRun_DoesNotHideIt()
    {
        Assert.Equal("acct ****3445", PartnerText.Message("acct 6222\u200B0202\u200C0011\u20602233\u00AD445"));
    }

    [Fact]
    public void Message_ControlAndBidiCharacters_AreRemovedAndLineBreaksBecomeOneSpace()
    {
        var scrubbed = PartnerText.Message("frozen\u202E\u2066\r\n[ERR] forged line\u0000\u001B[31m\uFEFF\uD800");

        Assert.Equal("frozen [ERR] forged line[31m", scrubbed);
    }

    [Fact]
    public void Message_LongText_IsCutTo200CharactersWithAnEllipsis()
    {
        var scrubbed = PartnerText.Message(new string('错', 500))!;

        Assert.Equal(PartnerText.MaxMessageLength, scrubbed.Length);
        Assert.EndsWith("…", scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_CutNeverSplitsASurrogatePair()
    {
        var scrubbed = PartnerText.Message(new string('a', 198) + "\U0001F600\U0001F600")!;

        Assert.Equal(new string('a', 198) + "…", scrubbed);
    }

    [Fact]
    public void Code_IsBoundedTo64Characters()
    {
        Assert.Equal(PartnerText.MaxCodeLength, PartnerText.Code(new string('X', 1000))!.Length);
    }

    [Fact]
    public void Reference_KeepsDigitsButNotControls()
    {
        Assert.Equal("YCB20261122000001", PartnerText.Reference("YCB20261122000001\n\u202E"));
    }

    [Fact]
    public void Null_StaysNull()
    {
        Assert.Null(PartnerText.Message(null));
        Assert.Null(PartnerText.Code(null));
        Assert.Null(PartnerText.Reference(null));
    }

    /// <summary>Any partner text, however hostile: the result is short, visible, one line, masked, and stable.</summary>
    [Property(MaxTest = 500, Arbitrary = new[] { typeof(PartnerMessages) })]
    public void Message_AnyText_IsBoundedCleanMaskedAndIdempotent(string text)
    {
        var scrubbed = PartnerText.Message(text)!;

        Assert.True(scrubbed.Length <= PartnerText.MaxMessageLength, scrubbed);
        Assert.True(Gateway.Payouts.TextRules.IsText(scrubbed), $"not clean text: {Escape(scrubbed)}");
        Assert.False(LongestDigitRun(scrubbed) >= PartnerText.MinDigitRun, $"a digit run survived: {Escape(scrubbed)}");
        Assert.Equal(scrubbed, PartnerText.Message(scrubbed));
    }

    private static int LongestDigitRun(string text)
    {
        int longest = 0, run = 0;
        foreach (var c in text)
        {
            run = char.IsDigit(c) ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}"));
}

/// <summary>Partner messages built from the characters that cause trouble, mixed with ordinary text and digit runs.</summary>
public static class PartnerMessages
{
    private static readonly string[] Pieces =
    [
        "收款账户", "已冻结", "account", " ", "-", "  ", "0", "12", "123", "1234", "12345", "123456", "6222020200112233445",
        "６２２２", "٣٤٥", "\n", "\r\n", "\t", "\0", "\u001B", "\u007F", "\u0085", "\u009B", "\u202E", "\u202A", "\u2066",
        "\u2069", "\u200B", "\u200D", "\uFEFF", "\u2060", "\u00AD", "\u2028", "\uFFFE", "\uD800", "\uDC00", "\U0001F600",
        "e\u0301", "\U000E0001", "…", "*",
    ];

    public static Arbitrary<string> Text() =>
        Gen.Elements(Pieces).ListOf().Select(parts => string.Concat(parts)).ToArbitrary();
}
