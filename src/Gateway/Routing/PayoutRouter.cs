using Gateway.Partners;
using Microsoft.Extensions.Options;

namespace Gateway.Routing;

/// <summary>
/// Which partner gets a payout: the one it names, else <c>Routing:Order</c>, skipping partners
/// whose circuit is open; and, for a routed payout that a partner definitely did not execute,
/// the next partner to fail over to (failure-causes.md rule 3).
/// </summary>
public sealed class PayoutRouter(IOptions<RoutingOptions> routing, PartnerRegistry partners)
{
    public IReadOnlyList<string> Order { get; } = routing.Value.Partners.Count > 0
        ? routing.Value.Partners
        : [.. partners.Known.Where(partners.IsEnabled)];

    /// <summary>The partner recorded at submission: the named one, else the first of the order.</summary>
    public string Choose(string? requested) => requested ?? Order[0];

    /// <summary>
    /// The first partner of the order not yet tried and not known to be down (circuit open);
    /// null when none is left.
    /// </summary>
    public string? NextHealthy(IReadOnlyCollection<string> tried) =>
        Order.FirstOrDefault(p => !tried.Contains(p) && partners.TryGet(p, out var partner) && partner.Circuit.State != "open");
}

/// <summary>Every name in Routing:Order must be an enabled partner, and at least one partner must be enabled.</summary>
internal sealed class RoutingOptionsValidator(PartnerRegistry partners) : IValidateOptions<RoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        var errors = new List<string>();
        if (!partners.Enabled.Any())
        {
            errors.Add("No partner is enabled: set Partners:<name>:BaseUrl for at least one of " + string.Join(", ", partners.Known) + ".");
        }

        foreach (var partner in options.Partners.Where(p => !partners.IsEnabled(p)))
        {
            errors.Add(partners.Known.Contains(partner)
                ? $"Routing:Order names '{partner}' but Partners:{partner}:BaseUrl is not set."
                : $"Routing:Order names unknown partner '{partner}' (known: {string.Join(", ", partners.Known)}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
