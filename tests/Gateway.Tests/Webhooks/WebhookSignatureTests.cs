using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gateway.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Webhooks;

/// <summary>The <c>Gateway-Signature</c> header: what a receiver checks (payout-api.md, "Webhooks").</summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_0123456789abcdef";
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);

    [Property(MaxTest = 300)]
    public bool Verify_OfSign_Holds(NonEmptyString secret, byte[] body, PositiveInt skewSeconds)
    {
        var now = At.AddSeconds(skewSeconds.Get % 300);
        return WebhookSignature.Verify(secret.Get, WebhookSignature.Sign(secret.Get, At, body), body, now, TimeSpan.FromMinutes(5));
    }

    [Property(MaxTest = 300)]
    public Property AnyTamperedByte_FailsVerification(NonEmptyArray<byte> body, NonNegativeInt index, byte flip)
    {
        var bytes = body.Get;
        var header = WebhookSignature.Sign(Secret, At, bytes);
        var tampered = (byte[])bytes.Clone();
        tampered[index.Get % tampered.Length] ^= (byte)(flip == 0 ? 1 : flip);
        return (!WebhookSignature.Verify(Secret, header, tampered, At, TimeSpan.FromMinutes(5))).ToProperty();
    }

    [Property(MaxTest = 200)]
    public bool AnOldOrFutureTimestamp_FailsVerification(byte[] body, PositiveInt extraSeconds, bool future)
    {
        var offset = 301 + (extraSeconds.Get % 1_000_000);
        var now = future ? At.AddSeconds(-offset) : At.AddSeconds(offset);
        return !WebhookSignature.Verify(Secret, WebhookSignature.Sign(Secret, At, body), body, now, TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Header_HasTheContractShape()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_1\"}");
        var header = WebhookSignature.Sign(Secret, At, body);

        Assert.Matches("^t=1795000000,v1=[0-9a-f]{64}$", header);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("1795000000." + "{\"id\":\"evt_1\"}")));
        Assert.EndsWith(expected, header, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("t=abc,v1=00")]
    [InlineData("v1=00")]
    [InlineData("t=1795000000")]
    [InlineData("t=1795000000,t=1795000000,v1=00")]
    [InlineData("t=99999999999999999999,v1=00")]
    public void MalformedHeaders_AreFalse_NeverThrow(string? header)
    {
        Assert.False(WebhookSignature.Verify(Secret, header, [1, 2, 3], At, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void TheWrongSecret_FailsVerification()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        Assert.False(WebhookSignature.Verify("another-secret-0123", WebhookSignature.Sign(Secret, At, body), body, At, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void EventId_IsDerivedFromThePayoutId_AndBack()
    {
        Assert.Equal("evt_01JD8XABCDEFGHJKMNPQRSTVWX", WebhookEvent.IdOf("po_01JD8XABCDEFGHJKMNPQRSTVWX"));
        Assert.Equal("po_01JD8XABCDEFGHJKMNPQRSTVWX", WebhookEvent.PayoutIdOf("evt_01JD8XABCDEFGHJKMNPQRSTVWX"));
    }

    [Fact]
    public void Options_EveryErrorAtOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:lender"] = "lender-key-0123456789",
            ["Webhooks:lender:Url"] = "ftp://example.com/hook",
            ["Webhooks:lender:Secret"] = "short",
            ["Webhooks:lender:Endpoints:bad name:Url"] = "https://user:pw@example.com/",
            ["Webhooks:lender:Endpoints:bad name:Secret"] = "0123456789abcdef",
            ["Webhooks:stranger:Url"] = "https://example.com/hook",
            ["Webhooks:stranger:Secret"] = "0123456789abcdef",
            ["WebhookDelivery:ClaimIdle"] = "00:00:05",
        }).Build();

        var result = new WebhookDeliveryOptionsValidator(configuration).Validate(null,
            new WebhookDeliveryOptions { ClaimIdle = TimeSpan.FromSeconds(5) });

        var errors = string.Join("\n", result.Failures ?? []);
        Assert.Contains("Webhooks:lender:Url must be an absolute http(s) URL", errors, StringComparison.Ordinal);
        Assert.Contains("Webhooks:lender:Secret must be at least 16", errors, StringComparison.Ordinal);
        Assert.Contains("Webhooks:lender:Endpoints:bad name: an endpoint name", errors, StringComparison.Ordinal);
        Assert.Contains("Webhooks:lender:Endpoints:bad name:Url must not carry credentials", errors, StringComparison.Ordinal);
        Assert.Contains("Webhooks:stranger names no API client", errors, StringComparison.Ordinal);
        Assert.Contains("WebhookDelivery:ClaimIdle", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoints_TheContractUrlIsDefault_PlusNamedExtras()
    {
        var endpoints = new WebhookEndpoints(new Dictionary<string, WebhookClientOptions>
        {
            ["lender"] = new()
            {
                Url = "https://a.example/hook", Secret = "0123456789abcdef",
                Endpoints = { ["audit"] = new() { Url = "https://b.example/hook", Secret = "fedcba9876543210" } },
            },
        });

        Assert.Equal(["default", "audit"], endpoints.Of("lender").Select(e => e.Name));
        Assert.Empty(endpoints.Of("other"));
        Assert.Equal("https://b.example/hook", endpoints.Find("lender", "audit")!.Url.ToString());
    }
}

/// <summary>The retry schedule: exponential from the first delay, capped, jittered within its upper half.</summary>
public sealed class WebhookRetryScheduleTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(10, 2560)]
    [InlineData(11, 3600)]
    [InlineData(1000, 3600)]
    public void RetryDelay_DoublesUpToTheCap_WithEqualJitter(int attempts, int fullSeconds)
    {
        var options = new WebhookDeliveryOptions();
        Assert.Equal(TimeSpan.FromSeconds(fullSeconds), WebhookDispatcher.RetryDelay(attempts, options, 1.0));
        Assert.Equal(TimeSpan.FromSeconds(fullSeconds / 2.0), WebhookDispatcher.RetryDelay(attempts, options, 0.0));
    }

    [Fact]
    public void TheDefaultSchedule_KeepsTryingForADay_InAboutThirtyAttempts()
    {
        var options = new WebhookDeliveryOptions();
        var elapsed = TimeSpan.Zero;
        var attempts = 0;
        while (elapsed < options.RetryFor)
        {
            attempts++;
            elapsed += WebhookDispatcher.RetryDelay(attempts, options, 0.5);
        }

        Assert.InRange(attempts, 25, 45);
    }
}
