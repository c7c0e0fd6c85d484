using Gateway.Partners.Ycb;
using Microsoft.Extensions.Options;

namespace Gateway.Partners;

/// <summary>
/// <c>AddPartners()</c>: every dialect the gateway speaks, registered whether or not it is
/// configured; configuration enables a partner by giving its BaseUrl. A new partner is a folder
/// under Partners/, its codes file, and one line here.
/// </summary>
public static class PartnersSetup
{
    public static IServiceCollection AddPartners(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PartnerCircuits>();
        services.AddSingleton<PartnerCalls>();
        services.AddSingleton<PartnerRegistry>();
        services.AddSingleton<PartnerCodeTables>();
        services.AddSingleton<PartnerRateLimiters>();
        services.AddSingleton<PartnerCallStats>();

        services.AddYcb(configuration);
        services.AddSilkPay(configuration);
        services.AddPrb(configuration);
        return services;
    }

    /// <summary>Options, validation, pipelines and the keyed <see cref="IPartnerClient"/> for one partner.</summary>
    internal static IServiceCollection AddPartner<TOptions, TClient>(this IServiceCollection services, string name, IConfiguration configuration)
        where TOptions : PartnerOptions
        where TClient : class, IPartnerClient
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection($"Partners:{name}")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new PartnerOptionsValidator<TOptions>(name));
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new PartnerTransportValidator<TOptions>(name, sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton(new PartnerDescriptor(name, sp => sp.GetRequiredService<IOptions<TOptions>>().Value));
        services.AddPartnerPipelines<TOptions>(name);
        services.AddKeyedSingleton<IPartnerClient, TClient>(name);
        return services;
    }
}
