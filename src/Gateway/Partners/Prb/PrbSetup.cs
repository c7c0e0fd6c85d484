using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Gateway.Partners.Prb;
using Microsoft.Extensions.Options;
using Refit;

// In the Partners namespace so PartnersSetup registers prb with one line and no using.
namespace Gateway.Partners;

public static class PrbSetup
{
    /// <summary>prb: Refit client with bearer authentication, its options, pipelines and pass-through credentials.</summary>
    public static IServiceCollection AddPrb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPartner<PrbOptions, PrbClient>(PrbOptions.Name, configuration);
        services.AddTransient<PrbAuthHandler>();
        services.AddRefitGeneratedClient<IPrbApi>(new RefitSettings(new SystemTextJsonContentSerializer(WireJson)) { Buffered = true })
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptions<PrbOptions>>().Value.BaseUrl;
                // Timeouts belong to the Polly pipeline, which knows attempt from total.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<PrbAuthHandler>();
        services.AddKeyedSingleton<IPartnerProxyCredentials>(PrbOptions.Name, (sp, _) =>
            new BearerProxyCredentials("/iso20022/v1/health", [new("GET", "/iso20022/v1/accounts/settlement/balance")],
                () => sp.GetRequiredService<IOptions<PrbOptions>>().Value.Token));
        return services;
    }

    /// <summary>UTF-8 as is (names are Chinese).</summary>
    internal static readonly JsonSerializerOptions WireJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };
}
