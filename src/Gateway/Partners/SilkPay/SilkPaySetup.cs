using Gateway.Partners.SilkPay;

// In the Partners namespace so PartnersSetup registers silkpay with one line and no using.
namespace Gateway.Partners;

public static class SilkPaySetup
{
    /// <summary>
    /// silkpay: its options, bearer-authenticated Refit client, adapter and codes file. No
    /// pass-through credentials: partners.md allows no silkpay call through the pass-through, so
    /// the gateway never signs anything for silkpay outside its own adapter.
    /// </summary>
    public static IServiceCollection AddSilkPay(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPartner<SilkPayOptions, ISilkPayApi, SilkPayClient>(SilkPayOptions.Name, configuration,
            codesFile: Path.Combine("Partners", "SilkPay", "silkpay-codes.json"),
            http: client => client.AddBearerToken<SilkPayOptions>(silkPay => silkPay.SecretKey));
}
