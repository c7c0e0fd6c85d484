using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>
/// The payout id secret shared by every instance when none is configured: 32 random bytes (base64)
/// created once with <c>SET NX</c> at <see cref="Key"/>, then read by all.
/// </summary>
public sealed class PayoutIdSecretStore(StateDatabase state)
{
    public static readonly RedisKey Key = "gw:config:payout-id-secret";

    private volatile string? _known;

    /// <summary>
    /// After Redis lost its data (<see cref="StoreEpoch"/>): writes the secret this instance holds back
    /// (<c>SET NX</c>), so an instance started later derives the same payout ids rather than creating a
    /// new secret. Nothing when this instance never loaded it (a configured <c>Payouts:IdSecret</c>).
    /// </summary>
    public async Task RestoreAsync()
    {
        if (_known is { } known)
        {
            await state.Db.StringSetAsync(Key, known, when: When.NotExists);
        }
    }

    /// <summary>The shared secret, creating it if no instance has yet (a Redis failure propagates).</summary>
    public async Task<string> GetOrCreateAsync()
    {
        var db = state.Db;
        var mine = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await db.StringSetAsync(Key, mine, when: When.NotExists))
            {
                return _known = mine;
            }

            if ((string?)await db.StringGetAsync(Key) is { } shared)
            {
                return _known = shared;
            }
        }

        throw new InvalidOperationException("The shared payout id secret could not be read.");
    }
}
