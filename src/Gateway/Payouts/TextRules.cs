using System.Buffers;
using System.Globalization;
using System.Text;

namespace Gateway.Payouts;

/// <summary>
/// What counts as text in a payout request (payout-api.md: "Text fields are Unicode text"),
/// written once for every text field. A text is refused when it holds an unpaired surrogate, a
/// control character (C0, DEL, C1: line breaks and tabs included, so a trailing newline too), a
/// format character (Unicode category Cf: bidi embeddings, overrides and isolates, zero-width
/// space/joiners, word joiner, BOM, soft hyphen, language tags), a line or paragraph separator,
/// or a noncharacter. None of them belongs in a name, a loan id or a code, and each can make a
/// partner, a log line or an on-call screen show something other than what was stored.
/// Pure functions, no regular expressions (no <c>$</c> that matches before a final newline).
/// </summary>
public static class TextRules
{
    /// <summary>
    /// The most UTF-8 bytes a beneficiary name may take after NFC normalisation: 64 CJK
    /// characters (3 bytes each) fit, and every partner's name field (ycb <c>payeeName</c>, prb
    /// <c>cdtr.nm</c>, silkpay <c>destination.name</c>) takes at least this.
    /// </summary>
    public const int MaxNameUtf8Bytes = 192;

    /// <summary>The most characters (text elements) a beneficiary name may have (payout-api.md).</summary>
    public const int MaxNameLength = 64;

    /// <summary>Why <paramref name="text"/> is not acceptable text, or null when it is.</summary>
    public static string? Problem(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != OperationStatus.Done)
            {
                return $"Contains an unpaired surrogate ({Code(text[i])} at index {i}); send valid Unicode text.";
            }

            if (Refusal(rune) is { } kind)
            {
                return rune.Value == '\n' && i + used == text.Length
                    ? "Ends with a line break (U+000A); send the text without it."
                    : $"Contains {kind} ({Code(rune.Value)} at index {i}).";
            }

            i += used;
        }

        return null;
    }

    /// <summary>True when <paramref name="text"/> is acceptable text (<see cref="Problem"/> is null).</summary>
    public static bool IsText(string text) => Problem(text) is null;

    /// <summary>
    /// A beneficiary name as it is stored and sent: NFC, 1–64 characters, at most
    /// <see cref="MaxNameUtf8Bytes"/> UTF-8 bytes, not blank, text by <see cref="Problem"/>.
    /// </summary>
    public static (string? Name, string? Problem) Name(string name)
    {
        if (Problem(name) is { } problem)
        {
            return (null, problem);
        }

        var normalised = name.Normalize(NormalizationForm.FormC);
        if (string.IsNullOrWhiteSpace(normalised))
        {
            return (null, $"Must be 1–{MaxNameLength} characters, not blank.");
        }

        var length = new StringInfo(normalised).LengthInTextElements;
        if (length > MaxNameLength)
        {
            return (null, $"Must be 1–{MaxNameLength} characters (this one has {length}).");
        }

        var bytes = Encoding.UTF8.GetByteCount(normalised);
        return bytes > MaxNameUtf8Bytes
            ? (null, $"Must be at most {MaxNameUtf8Bytes} bytes in UTF-8 after NFC normalisation (this one has {bytes}).")
            : (normalised, null);
    }

    /// <summary>True for characters of [0-9A-Za-z] only (ASCII), the alphabet of codes such as a bank code.</summary>
    public static bool IsAsciiLetterOrDigit(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for characters of [0-9] only (ASCII: no other script's digits).</summary>
    public static bool IsAsciiDigits(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string? Refusal(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control => "a control character",
        UnicodeCategory.Format => "an invisible format character (such as a bidi override or a zero-width character)",
        UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a line or paragraph separator",
        _ when IsNoncharacter(rune.Value) => "a Unicode noncharacter",
        _ => null,
    };

    private static bool IsNoncharacter(int value) => value is >= 0xFDD0 and <= 0xFDEF || (value & 0xFFFE) == 0xFFFE;

    private static string Code(int value) => string.Create(CultureInfo.InvariantCulture, $"U+{value:X4}");
}
