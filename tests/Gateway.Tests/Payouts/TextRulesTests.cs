using System.Text;
using Gateway.Payouts;

namespace Gateway.Tests.Payouts;

/// <summary>The text rules of every payout text field, checked directly (pure, no gateway).</summary>
public sealed class TextRulesTests
{
    public static TheoryData<string, string> Refused => new()
    {
        { "lone high surrogate", "ab\uD800c" },
        { "lone low surrogate", "\uDC00abc" },
        { "high surrogate at the end", "abc\uD83D" },
        { "reversed pair", "a\uDE00\uD83Db" },
        { "NUL", "a\0b" },
        { "tab", "a\tb" },
        { "trailing newline", "ICBC\n" },
        { "trailing CRLF", "ICBC\r\n" },
        { "DEL", "a\u007Fb" },
        { "C1 NEL", "a\u0085b" },
        { "C1 CSI", "a\u009Bb" },
        { "LRE", "\u202Aabc" },
        { "RLO", "张\u202E三" },
        { "PDF", "abc\u202C" },
        { "LRI", "\u2066abc" },
        { "PDI", "abc\u2069" },
        { "LRM", "a\u200Eb" },
        { "Arabic letter mark", "a\u061Cb" },
        { "zero-width space", "张\u200B三" },
        { "zero-width non-joiner", "a\u200Cb" },
        { "zero-width joiner", "a\u200Db" },
        { "word joiner", "a\u2060b" },
        { "BOM", "\uFEFFabc" },
        { "soft hyphen", "Mül\u00ADler" },
        { "language tag (supplementary Cf)", "a\U000E0001b" },
        { "line separator", "a\u2028b" },
        { "paragraph separator", "a\u2029b" },
        { "noncharacter U+FFFE", "a\uFFFEb" },
        { "noncharacter U+FDD0", "a\uFDD0b" },
    };

    [Theory]
    [MemberData(nameof(Refused), DisableDiscoveryEnumeration = true)]
    public void Problem_HostileCharacter_IsNamed(string kind, string text)
    {
        var problem = TextRules.Problem(text);

        Assert.False(problem is null, $"{kind} should be refused");
        Assert.False(TextRules.IsText(text));
    }

    [Theory]
    [InlineData("张三")]
    [InlineData("Zoë Ångström")]
    [InlineData("e\u0301")] // a combining mark is text
    [InlineData("\U0001F600 smile")] // emoji (a surrogate pair)
    [InlineData("\u2764\uFE0F")] // a variation selector is a mark, not a format character
    [InlineData("محمد")] // right-to-left letters are text; only the invisible controls are not
    [InlineData("LN-2026-000123")]
    public void Problem_OrdinaryText_IsAccepted(string text)
    {
        Assert.Null(TextRules.Problem(text));
    }

    [Fact]
    public void Problem_TrailingNewline_SaysSo()
    {
        Assert.Contains("line break", TextRules.Problem("ICBC\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Name_Decomposed_IsStoredAsNfc()
    {
        var (name, problem) = TextRules.Name("Zoe\u0308");

        Assert.Null(problem);
        Assert.Equal("Zo\u00EB", name);
    }

    [Fact]
    public void Name_64CjkCharacters_FitsTheByteBound()
    {
        var (name, problem) = TextRules.Name(new string('张', 64));

        Assert.Null(problem);
        Assert.Equal(192, Encoding.UTF8.GetByteCount(name!));
    }

    [Fact]
    public void Name_FewCharactersButManyBytes_IsRefusedByBytes()
    {
        // One text element: a letter carrying 100 enclosing marks (they never compose under NFC).
        var (name, problem) = TextRules.Name("a" + new string('\u0489', 100));

        Assert.Null(name);
        Assert.Contains("bytes", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u3000")]
    public void Name_Blank_IsRefused(string text)
    {
        Assert.NotNull(TextRules.Name(text).Problem);
    }

    [Fact]
    public void Name_65Characters_IsRefused()
    {
        Assert.NotNull(TextRules.Name(new string('a', 65)).Problem);
    }

    [Fact]
    public void Name_HostileCharacter_IsRefusedBeforeNormalising()
    {
        // string.Normalize would throw on a lone surrogate: the rule answers first.
        Assert.NotNull(TextRules.Name("张\uD800").Problem);
    }

    [Theory]
    [InlineData("12345678", true)]
    [InlineData("1234567\n", false)]
    [InlineData("１２３４５６７８", false)] // full-width digits are digits, but not ASCII
    [InlineData("١٢٣٤٥٦٧٨", false)]
    public void IsAsciiDigits_OnlyAsciiDigits(string text, bool expected)
    {
        Assert.Equal(expected, TextRules.IsAsciiDigits(text));
    }
}
