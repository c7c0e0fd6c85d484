using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Partners.SilkPay;

/// <summary>silkpay's configuration is checked before traffic, like every partner's.</summary>
public sealed class SilkPayStartupTests
{
    [Fact]
    public void Start_BaseUrlWithoutSecretKey_FailsNamingTheKey()
    {
        var settings = SilkPayHarness.Settings("127.0.0.1:1,abortConnect=false", "http://127.0.0.1:1");
        settings.Remove("Partners:silkpay:SecretKey");
        var message = StartupFailure.Of(settings);

        Assert.Contains("Partners:silkpay:SecretKey", message, StringComparison.Ordinal);
    }
}
