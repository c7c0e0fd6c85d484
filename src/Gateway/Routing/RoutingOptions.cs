namespace Gateway.Routing;

/// <summary><c>Routing:Order</c>: partners tried in order when a payout names none, e.g. <c>ycb,prb,silkpay</c>.</summary>
public sealed class RoutingOptions
{
    public const string Section = "Routing";

    public string? Order { get; set; }

    public IReadOnlyList<string> Partners =>
        (Order ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
