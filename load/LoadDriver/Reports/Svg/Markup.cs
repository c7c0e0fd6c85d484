using System.Globalization;
using System.Net;

namespace LoadDriver.Reports.Svg;

/// <summary>Escaping and number formatting for the HTML report and its inline SVG.</summary>
internal static class Markup
{
    /// <summary>HTML-escapes text for element content and attribute values (&amp;, &lt;, &gt;, quotes).</summary>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A coordinate or number with at most two decimals, invariant culture.</summary>
    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
