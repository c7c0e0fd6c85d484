using System.Globalization;

namespace Gateway.Core;

/// <summary>Amounts travel as decimal strings with exactly two decimals.</summary>
public static class Money
{
    public static string Format(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
