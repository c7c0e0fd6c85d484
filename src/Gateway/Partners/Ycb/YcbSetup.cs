using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Options;
using Refit;

namespace Gateway.Partners.Ycb;

public static class YcbSetup
{
    /// <summary>ycb: Refit client with HMAC signing, its options and pipelines.</summary>
    public static IServiceCollection AddYcb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPartner<YcbOptions, YcbClient>(YcbOptions.Name, configuration);
        services.AddTransient<YcbSignatureHandler>();
        services.AddKeyedSingleton<IPartnerProxyCredentials, YcbProxyCredentials>(YcbOptions.Name);
        services.AddRefitGeneratedClient<IYcbApi>(new RefitSettings(new SystemTextJsonContentSerializer(WireJson)))
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<YcbOptions>>().Value;
                client.BaseAddress = options.BaseUrl;
                // Timeouts belong to the Polly pipeline, which knows attempt from total.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<YcbSignatureHandler>();
        return services;
    }

    /// <summary>UTF-8 as is (names are Chinese); the signature covers exactly these bytes.</summary>
    internal static readonly JsonSerializerOptions WireJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };
}
