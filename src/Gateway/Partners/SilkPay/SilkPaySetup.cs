using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Options;
using Gateway.Partners.SilkPay;
using Refit;

// In the Partners namespace so PartnersSetup registers silkpay with one line and no using.
namespace Gateway.Partners;

public static class SilkPaySetup
{
    /// <summary>silkpay: Refit client with bearer authentication, its options and pipelines (no pass-through).</summary>
    public static IServiceCollection AddSilkPay(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPartner<SilkPayOptions, SilkPayClient>(SilkPayOptions.Name, configuration);
        services.AddTransient<SilkPayAuthHandler>();
        services.AddRefitGeneratedClient<ISilkPayApi>(new RefitSettings(new SystemTextJsonContentSerializer(WireJson))
            {
                // One buffered body with a Content-Length: the same bytes on every attempt.
                Buffered = true,
            })
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<SilkPayOptions>>().Value;
                client.BaseAddress = options.BaseUrl;
                // Timeouts belong to the Polly pipeline, which knows attempt from total.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<SilkPayAuthHandler>();
        // No pass-through credentials: partners.md allows no silkpay call through the pass-through,
        // so the gateway never signs anything for silkpay outside its own adapter.
        return services;
    }

    /// <summary>
    /// UTF-8 as is (names are Chinese). Property names are fixed by attributes and values come
    /// only from the stored payout, so one payout always serialises to the same bytes.
    /// </summary>
    internal static readonly JsonSerializerOptions WireJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };
}
