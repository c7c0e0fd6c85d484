using Gateway.Partners;
using Gateway.Payouts;
using Microsoft.Extensions.Options;

namespace Gateway.Routing;

/// <summary>Which partner gets a payout: the one it names, else the first of <c>Routing:Order</c>.</summary>
public sealed class PayoutRouter(IOptions<RoutingOptions> routing, PartnerRegistry partners)
{
    public IReadOnlyList<string> Order { get; } = routing.Value.Partners.Count > 0
        ? routing.Value.Partners
        : [.. partners.Known.Where(partners.IsEnabled)];

    public string Choose(PayoutRequest request) => request.Partner ?? Order[0];
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
