namespace Gateway.Partners.Ycb;

public static class YcbSetup
{
    /// <summary>ycb: its options, HMAC-signing Refit client, adapter, codes file and pass-through credentials.</summary>
    public static IServiceCollection AddYcb(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPartner<YcbOptions, IYcbApi, YcbClient>(YcbOptions.Name, configuration,
            codesFile: Path.Combine("Partners", "Ycb", "ycb-codes.json"),
            http: client => client.AddHttpMessageHandler(sp => ActivatorUtilities.CreateInstance<YcbSignatureHandler>(sp)),
            proxyCredentials: sp => ActivatorUtilities.CreateInstance<YcbProxyCredentials>(sp));
}
