using Gateway.Partners.Chaos;
using Gateway.Partners.Ycb;

namespace Gateway.Partners;

/// <summary>
/// <c>AddPartners()</c>: every dialect the gateway speaks, registered whether or not it is
/// configured; configuration enables a partner by giving its BaseUrl. A new partner is a folder
/// under Partners/ with its codes file and its one registration
/// (<see cref="PartnerModules.AddPartner{TOptions, TApi, TClient}"/>), and one line here.
/// </summary>
public static class PartnersSetup
{
    public static IServiceCollection AddPartners(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PartnerRegistry>();
        services.AddSingleton<PartnerCircuits>();
        services.AddSingleton<PartnerCalls>();
        services.AddPartnerChaos(configuration);

        services.AddYcb(configuration);
        services.AddSilkPay(configuration);
        services.AddPrb(configuration);
        return services;
    }
}
