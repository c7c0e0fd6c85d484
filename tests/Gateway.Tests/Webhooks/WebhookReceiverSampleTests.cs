using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gateway.Webhooks;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// The README's sample receiver check (section "Webhooks") is this file's <see cref="GatewaySignature"/>,
/// character for character: it accepts the gateway's signature and rejects the wrong secret, a
/// tampered body and an old timestamp.
/// </summary>
public sealed class WebhookReceiverSampleTests
{
    private const string Secret = "whsec_sample_0123456789";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"evt_x\",\"type\":\"payout.succeeded\"}");

    [Fact]
    public void TheReadmeSample_IsThisCode()
    {
        var source = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "Gateway.Tests", "Webhooks", "WebhookReceiverSampleTests.cs"));
        var start = source.LastIndexOf("public static class GatewaySignature", StringComparison.Ordinal);
        var end = source.IndexOf("\n}\n", start, StringComparison.Ordinal) + 2;
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));

        Assert.Contains(source[start..end].ReplaceLineEndings("\n"), readme.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheSample_AcceptsTheGatewaysSignature()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.True(GatewaySignature.IsValid(Secret, WebhookSignature.Sign(Secret, now, Body), Body, now));
    }

    [Fact]
    public void TheSample_RejectsTheWrongSecret_ATamperedBody_AnOldTimestamp_NoHeader()
    {
        var now = DateTimeOffset.UtcNow;
        var tampered = (byte[])Body.Clone();
        tampered[^3] ^= 1;

        Assert.False(GatewaySignature.IsValid(Secret, WebhookSignature.Sign("whsec_wrong_0123456789", now, Body), Body, now));
        Assert.False(GatewaySignature.IsValid(Secret, WebhookSignature.Sign(Secret, now, Body), tampered, now));
        Assert.False(GatewaySignature.IsValid(Secret, WebhookSignature.Sign(Secret, now.AddMinutes(-6), Body), Body, now));
        Assert.False(GatewaySignature.IsValid(Secret, null, Body, now));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Gateway.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("Gateway.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The README's sample (verbatim from here to the end of the class).</summary>
public static class GatewaySignature
{
    /// <summary>Whether a delivery is the gateway's: check before parsing the body, over its raw bytes.</summary>
    public static bool IsValid(string secret, string? header, byte[] rawBody, DateTimeOffset now)
    {
        string? t = null, v1 = null;
        foreach (var part in (header ?? "").Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length == 2 && pair[0] == "t") { t = pair[1]; }
            if (pair.Length == 2 && pair[0] == "v1") { v1 = pair[1]; }
        }

        if (v1 is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > 300) // refuse replays of old deliveries
        {
            return false;
        }

        var signed = Encoding.ASCII.GetBytes(t + ".").Concat(rawBody).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(v1));
    }
}
