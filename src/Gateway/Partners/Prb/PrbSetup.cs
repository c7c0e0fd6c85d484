using Gateway.Partners.Prb;
using Microsoft.Extensions.Options;

// In the Partners namespace so PartnersSetup registers prb with one line and no using.
namespace Gateway.Partners;

public static class PrbSetup
{
    /// <summary>prb: its options, bearer-authenticated Refit client, adapter, codes file and pass-through credentials.</summary>
    public static IServiceCollection AddPrb(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPartner<PrbOptions, IPrbApi, PrbClient>(PrbOptions.Name, configuration,
            codesFile: Path.Combine("Partners", "Prb", "prb-codes.json"),
            http: client => client.AddBearerToken<PrbOptions>(prb => prb.Token),
            proxyCredentials: sp => new BearerProxyCredentials("/iso20022/v1/health",
                [new("GET", "/iso20022/v1/accounts/settlement/balance")],
                () => sp.GetRequiredService<IOptions<PrbOptions>>().Value.Token));
}
