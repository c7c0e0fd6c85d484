using System.Text;
using System.Text.Json;
using Gateway.Idempotency;
using Gateway.Payouts;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Payouts;

public sealed class PayoutIdentityTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes(Ids.Secret);

    [Fact]
    public void Derive_SameClientAndKey_GivesTheSameIdWithinPartnerLimits()
    {
        var id = PayoutId.Derive(Secret, "lender-a", "order-42");

        Assert.Equal(id, PayoutId.Derive(Secret, "lender-a", "order-42"));
        Assert.NotEqual(id, PayoutId.Derive(Secret, "lender-b", "order-42"));
        Assert.NotEqual(id, PayoutId.Derive(Secret, "lender-a", "order-43"));
        Assert.StartsWith("po_", id, StringComparison.Ordinal);
        Assert.InRange(id.Length, 4, 32);
        Assert.True(PayoutId.LooksValid(id));
    }

    [Fact]
    public void Derive_WithoutTheSecret_CannotBePredicted()
    {
        var keyed = PayoutId.Derive(Secret, "lender-a", "order-42");

        // Neither the plain hash an outsider could compute nor the id under another secret.
        Assert.NotEqual(keyed, PayoutId.Derive([], "lender-a", "order-42"));
        Assert.NotEqual(keyed, PayoutId.Derive(Encoding.UTF8.GetBytes(Ids.Secret + "x"), "lender-a", "order-42"));
    }

    [Fact]
    public void PayoutIds_AfterRotation_KnowTheIdsOfThePreviousSecret()
    {
        var before = new PayoutIds(Options.Create(new PayoutIdOptions { IdSecret = Ids.Secret }));
        var after = new PayoutIds(Options.Create(new PayoutIdOptions
        {
            IdSecret = "rotated-payout-id-secret-not-a-real-one-0002",
            PreviousIdSecrets = [Ids.Secret],
        }));

        Assert.NotEqual(before.Derive("lender-a", "k1"), after.Derive("lender-a", "k1"));
        Assert.Equal([before.Derive("lender-a", "k1")], after.Previous("lender-a", "k1"));
        Assert.Empty(before.Previous("lender-a", "k1"));
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
