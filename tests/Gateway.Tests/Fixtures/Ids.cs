using System.Text;
using Gateway.Payouts;

namespace Gateway.Tests.Fixtures;

/// <summary>The payout ids the test gateways derive: keyed with the tests' <c>Payouts:IdSecret</c>.</summary>
public static class Ids
{
    public const string Secret = "test-payout-id-secret-not-a-real-secret-0001";

    public static string Of(string client, string idempotencyKey) =>
        PayoutId.Derive(Encoding.UTF8.GetBytes(Secret), client, idempotencyKey);
}
