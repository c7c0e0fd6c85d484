using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>What one call of the bucket's script gave: tokens taken (0 to the number asked) and when the next whole token is due.</summary>
public readonly record struct BucketTake(int Granted, TimeSpan RetryAfter);

/// <summary>
/// A token bucket in one Redis key, shared by every gateway instance: refilled and taken in ONE
/// Lua script, so two instances can never both take the same token. The key is a hash
/// (<c>t</c> tokens, fractional; <c>ts</c> the last refill, in µs) that expires once the bucket
/// would be full again, when its absence means the same thing.
/// <para>
/// Time is Redis's own (<c>TIME</c>), not the caller's: every instance then refills from one clock,
/// so a gateway host whose clock runs ahead cannot refill the bucket early for everyone (a clock
/// behind would starve it). Redis 7 replicates the script's effects, not the script, so <c>TIME</c>
/// is allowed before a write. Tests stay deterministic by choosing rates whose refill within a test
/// is nil or bounded, not by faking Redis's clock.
/// </para>
/// </summary>
public sealed class RedisTokenBucket
{
    // KEYS[1] the bucket; ARGV: limit, tokens per period, period in µs, tokens wanted.
    // Returns {taken, µs until the next whole token (0 when one is left)}.
    private const string TakeScript = """
        local limit = tonumber(ARGV[1])
        local perPeriod = tonumber(ARGV[2])
        local periodUs = tonumber(ARGV[3])
        local want = tonumber(ARGV[4])
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
        local state = redis.call('HMGET', KEYS[1], 't', 'ts')
        local tokens = tonumber(state[1])
        local ts = tonumber(state[2])
        if tokens == nil or ts == nil then
          tokens = limit
          ts = now
        elseif now > ts then
          tokens = tokens + (now - ts) * perPeriod / periodUs
          ts = now
        end
        if tokens > limit then tokens = limit end
        local taken = math.min(want, math.floor(tokens))
        if taken < 0 then taken = 0 end
        tokens = tokens - taken
        local wait = 0
        if tokens < 1 then wait = math.ceil((1 - tokens) * periodUs / perPeriod) end
        redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'ts', string.format('%.0f', ts))
        redis.call('PEXPIRE', KEYS[1], math.ceil((limit - tokens) * periodUs / perPeriod / 1000) + 1000)
        return {taken, wait}
        """;

    private readonly IDatabase _db;
    private readonly RedisKey _key;
    private readonly RedisValue[] _limits;

    public RedisTokenBucket(IDatabase db, RedisKey key, int tokenLimit, int tokensPerPeriod, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokenLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokensPerPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.FromMilliseconds(1));
        _db = db;
        _key = key;
        TokenLimit = tokenLimit;
        _limits = [tokenLimit, tokensPerPeriod, period.Ticks / TimeSpan.TicksPerMicrosecond];
    }

    public RedisKey Key => _key;

    public int TokenLimit { get; }

    /// <summary>
    /// Takes up to <paramref name="want"/> tokens in one round trip (fewer, possibly none, when the
    /// bucket has fewer). Throws what StackExchange.Redis throws when Redis cannot be reached.
    /// </summary>
    public async Task<BucketTake> TakeAsync(int want)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(want, 1);
        var result = (RedisResult[])(await _db.ScriptEvaluateAsync(TakeScript,
            [_key], [_limits[0], _limits[1], _limits[2], Math.Min(want, TokenLimit)]))!;
        return new BucketTake((int)result[0], TimeSpan.FromMicroseconds((long)result[1]));
    }
}
