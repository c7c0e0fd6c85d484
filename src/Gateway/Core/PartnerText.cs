using System.Buffers;
using System.Globalization;
using System.Text;

namespace Gateway.Core;

/// <summary>
/// The one gate for text a partner sends us (ycb <c>retMsg</c>, prb <c>addtlInf</c>, silkpay
/// <c>failure_message</c>, codes, statuses, references) before it reaches a payout record, a
/// diagnosis, a log event or the on-call page. A partner is not trusted to keep it short, to
/// keep it on one line, or to keep account numbers out of it:
/// <list type="bullet">
/// <item>control, format (bidi, zero-width), line/paragraph separator and noncharacter code
/// points and unpaired surrogates go: line breaks and tabs become one space, the rest vanish (so
/// a zero-width space cannot split a digit run to slip it past the next step);</item>
/// <item>digit runs that may be an account, card or phone number are masked, keeping at most the
/// last four digits: a run of 6 or more digits, or groups of 3 or more digits joined by single
/// spaces or hyphens holding 10 or more digits together (<c>6222 0202 0011 2233 445</c>);</item>
/// <item>the result is cut to a bound (200 characters for free text, 64 for codes), never
/// inside a surrogate pair, with an ellipsis.</item>
/// </list>
/// Every function is pure and idempotent: scrubbing scrubbed text changes nothing.
/// </summary>
public static class PartnerText
{
    public const int MaxMessageLength = 200;
    public const int MaxCodeLength = 64;

    /// <summary>A run of this many digits or more is masked.</summary>
    public const int MinDigitRun = 6;

    /// <summary>Digit groups joined by spaces or hyphens are masked from this many digits together.</summary>
    public const int MinGroupedDigits = 10;

    private const int MinGroupLength = 3;
    private const string Mask = "****";
    private const char Ellipsis = '…';

    /// <summary>Free text (a message, a detail): cleaned, digit runs masked, at most <see cref="MaxMessageLength"/> characters.</summary>
    public static string? Message(string? text) => Scrub(text, MaxMessageLength, maskDigits: true);

    /// <summary>A code or status word: cleaned, digit runs masked, at most <see cref="MaxCodeLength"/> characters.</summary>
    public static string? Code(string? text) => Scrub(text, MaxCodeLength, maskDigits: true);

    /// <summary>
    /// The partner's own reference for a transaction (ycb <c>bankSeqNo</c>, prb <c>acctSvcrRef</c>,
    /// silkpay <c>id</c>): cleaned and bounded, digits kept, as on-call quotes it to the partner.
    /// </summary>
    public static string? Reference(string? text) => Scrub(text, MaxCodeLength, maskDigits: false);

    private static string? Scrub(string? text, int maxLength, bool maskDigits)
    {
        if (text is null)
        {
            return null;
        }

        var clean = Clean(text);
        if (maskDigits)
        {
            clean = MaskDigitRuns(clean);
        }

        return Truncate(clean, maxLength);
    }

    /// <summary>Drops what is not visible text; whitespace controls become a space; trimmed.</summary>
    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != OperationStatus.Done)
            {
                i += Math.Max(used, 1);
                continue;
            }

            i += used;
            if (IsBreak(rune))
            {
                // One space for a CRLF or a run of breaks, so a multi-line message reads as one line.
                if (builder.Length == 0 || builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }
            else if (IsVisible(rune))
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString().Trim();
    }

    private static bool IsBreak(Rune rune) =>
        rune.Value is '\t' or '\n' or '\v' or '\f' or '\r' or 0x85 or 0x2028 or 0x2029;

    private static bool IsVisible(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        _ => !(rune.Value is >= 0xFDD0 and <= 0xFDEF || (rune.Value & 0xFFFE) == 0xFFFE),
    };

    private static string MaskDigitRuns(string text)
    {
        StringBuilder? builder = null;
        var copied = 0;
        for (var i = 0; i < text.Length;)
        {
            if (!char.IsDigit(text[i]))
            {
                i++;
                continue;
            }

            var (end, digits, groups) = DigitSpan(text, i);
            var mask = digits >= (groups == 1 ? MinDigitRun : MinGroupedDigits);
            if (!mask && groups > 1)
            {
                // Grouped but short: still mask a single long group inside it.
                end = GroupEnd(text, i);
                digits = end - i;
                mask = digits >= MinDigitRun;
            }

            if (mask)
            {
                builder ??= new StringBuilder(text.Length);
                builder.Append(text, copied, i - copied).Append(Mask).Append(LastDigits(text, i, end, digits >= 8 ? 4 : 0));
                copied = end;
            }

            i = end;
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>From a digit at <paramref name="start"/>: where the (possibly grouped) run ends, its digits and groups.</summary>
    private static (int End, int Digits, int Groups) DigitSpan(string text, int start)
    {
        var end = GroupEnd(text, start);
        var digits = end - start;
        var groups = 1;
        var lastGroup = digits;
        while (lastGroup >= MinGroupLength && end + 1 < text.Length && text[end] is ' ' or '-' && char.IsDigit(text[end + 1]))
        {
            var next = GroupEnd(text, end + 1);
            var length = next - end - 1;
            if (length < MinGroupLength)
            {
                break;
            }

            digits += length;
            groups++;
            lastGroup = length;
            end = next;
        }

        return (end, digits, groups);
    }

    private static int GroupEnd(string text, int start)
    {
        var end = start;
        while (end < text.Length && char.IsDigit(text[end]))
        {
            end++;
        }

        return end;
    }

    private static string LastDigits(string text, int start, int end, int count)
    {
        if (count == 0)
        {
            return "";
        }

        var kept = new char[count];
        for (int i = end - 1, k = count - 1; i >= start && k >= 0; i--)
        {
            if (char.IsDigit(text[i]))
            {
                kept[k--] = text[i];
            }
        }

        return new string(kept);
    }

    private static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = maxLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut].TrimEnd() + Ellipsis;
    }
}
