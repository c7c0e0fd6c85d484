using System.Text;
using Microsoft.Extensions.Options;
using Gateway.Core;
using Gateway.Storage;

namespace Gateway.Payouts;

/// <summary>
/// Derives payout ids with the configured secret (<see cref="PayoutIdOptions"/>). After a
/// rotation the ids an old secret gave are still recognised (<see cref="Previous"/>), so a
/// client retrying a key it used before the rotation finds its payout instead of creating a
/// second one under a new reference.
/// <para>
/// With no <c>Payouts:IdSecret</c> outside Development, the secret is the one stored in Redis
/// (<see cref="PayoutIdSecretStore"/>): the first instance to need it creates 32 random bytes with
/// <c>SET NX</c>, every other instance reads the same, so all instances derive the same ids.
/// </para>
/// </summary>
public sealed class PayoutIds
{
    private readonly PayoutIdSecretStore? _shared;
    private readonly byte[][] _previous;
    private byte[]? _current;

    /// <summary>With a configured secret only (no shared one to fall back on).</summary>
    public PayoutIds(IOptions<PayoutIdOptions> options)
        : this(options, null, null)
    {
    }

    public PayoutIds(IOptions<PayoutIdOptions> options, IHostEnvironment? environment, PayoutIdSecretStore? shared)
    {
        _shared = shared;
        _current = options.Value.IdSecret is { } secret ? Encoding.UTF8.GetBytes(secret)
            : shared is null || environment?.IsDevelopment() == true ? Encoding.UTF8.GetBytes(PayoutIdOptions.DevelopmentSecret)
            : null;
        _previous = [.. options.Value.PreviousIdSecrets.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>Loads the shared secret once, when none is configured (a Redis failure propagates: nothing can be derived yet).</summary>
    public ValueTask EnsureReadyAsync() => _current is not null ? ValueTask.CompletedTask : new ValueTask(LoadSharedAsync());

    private async Task LoadSharedAsync() => _current = Encoding.UTF8.GetBytes(await _shared!.GetOrCreateAsync());

    /// <summary>The id of (client, key) under the current secret (after <see cref="EnsureReadyAsync"/>).</summary>
    public string Derive(string client, string idempotencyKey) =>
        PayoutId.Derive(_current ?? throw new InvalidOperationException("The payout id secret is not loaded yet."), client, idempotencyKey);

    /// <summary>The id of (client, key) when the secret is loaded already, else null (nothing is read).</summary>
    public string? TryDerive(string client, string idempotencyKey) =>
        _current is null ? null : PayoutId.Derive(_current, client, idempotencyKey);

    /// <summary>The ids (client, key) had under each previous secret, newest first; empty without a rotation.</summary>
    public IReadOnlyList<string> Previous(string client, string idempotencyKey) =>
        _previous.Length == 0 ? [] : [.. _previous.Select(secret => PayoutId.Derive(secret, client, idempotencyKey))];
}
