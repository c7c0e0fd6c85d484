using System.Text.Json;
using Gateway.Idempotency;
using Gateway.Payouts;

namespace Gateway.Tests.Payouts;

public sealed class PayoutIdentityTests
{
    [Fact]
    public void Derive_SameClientAndKey_GivesTheSameIdWithinPartnerLimits()
    {
        var id = PayoutId.Derive("lender-a", "order-42");

        Assert.Equal(id, PayoutId.Derive("lender-a", "order-42"));
        Assert.NotEqual(id, PayoutId.Derive("lender-b", "order-42"));
        Assert.NotEqual(id, PayoutId.Derive("lender-a", "order-43"));
        Assert.StartsWith("po_", id, StringComparison.Ordinal);
        Assert.InRange(id.Length, 4, 32);
        Assert.True(PayoutId.LooksValid(id));
    }

    [Fact]
    public void Fingerprint_IgnoresKeyOrderAndWhitespaceButNotValues()
    {
        static string Of(string json) => RequestFingerprint.Compute(JsonDocument.Parse(json).RootElement);

        var a = Of("""{"amount":"1.00","beneficiary":{"name":"张三","bankCode":"ICBC"}}""");
        var b = Of("""{ "beneficiary" : { "bankCode":"ICBC", "name":"\u5f20\u4e09" },  "amount" : "1.00" }""");
        var c = Of("""{"amount":"1.01","beneficiary":{"name":"张三","bankCode":"ICBC"}}""");

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData("6222020200112233445", "************3445")]
    [InlineData("12345678", "************5678")]
    public void Mask_AccountNumber_KeepsOnlyTheLastFourDigits(string account, string masked) =>
        Assert.Equal(masked, Masking.AccountNumber(account));

    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("Li", "L*")]
    public void Mask_Name_KeepsOnlyTheFirstCharacter(string name, string masked) =>
        Assert.Equal(masked, Masking.Name(name));
}
