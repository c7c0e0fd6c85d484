namespace LoadDriver.Payouts;

/// <summary>The partners the gateway knows (partners.md), by the names the API uses.</summary>
public static class PartnerNames
{
    public const string Ycb = "ycb";
    public const string Prb = "prb";
    public const string SilkPay = "silkpay";

    /// <summary>Every partner, in the load deployment's routing order.</summary>
    public static IReadOnlyList<string> All { get; } = [Ycb, Prb, SilkPay];

    /// <summary>The load deployment's <c>Routing:Order</c>: ycb first, then prb, then silkpay.</summary>
    public static IReadOnlyList<string> DefaultRoutingOrder => All;

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
