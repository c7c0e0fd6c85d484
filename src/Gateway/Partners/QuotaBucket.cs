using System.Threading.RateLimiting;

namespace Gateway.Partners;

/// <summary>
/// One of a partner's quota buckets (<see cref="PartnerQuota"/>), as the store that keeps it must
/// know it. The bucket lives outside this process (<see cref="IQuotaBucketStore"/>) because a quota
/// is the partner's contract with the whole gateway: N instances each holding the full quota
/// would send the partner N times its rate.
/// </summary>
/// <param name="Partner">The partner's name; with <paramref name="Use"/> it names the bucket.</param>
/// <param name="Use"><see cref="Disburse"/> or <see cref="PassThrough"/>: the two buckets never lend to each other.</param>
/// <param name="TokenLimit">Permits at once after a quiet spell (the burst).</param>
/// <param name="TokensPerPeriod">Permits added per <paramref name="Period"/>, continuously.</param>
/// <param name="QueueLimit">Permits that may wait in this instance for the bucket to refill; 0: refused at once.</param>
/// <param name="Queued">Called each time an acquisition has to wait (the saturation alarm).</param>
public sealed record QuotaBucket(string Partner, string Use, int TokenLimit, int TokensPerPeriod, TimeSpan Period, int QueueLimit,
    Action? Queued = null)
{
    public const string Disburse = "disburse";
    public const string PassThrough = "passthrough";

    /// <summary>
    /// The <see cref="MetadataName.ReasonPhrase"/> of a lease refused because the bucket's store
    /// could not be asked: not a saturated quota, but still no permit (the store fails closed).
    /// </summary>
    public const string StoreUnavailable = "quota store unavailable";
}

/// <summary>
/// Where quota buckets live: a store every gateway instance shares, so the quota holds across
/// instances. Implemented in Storage (Redis); Partners only sees the <see cref="RateLimiter"/> API.
/// </summary>
public interface IQuotaBucketStore
{
    /// <summary>A limiter on the shared bucket, for this instance; disposing it leaves the bucket as it is.</summary>
    RateLimiter Open(QuotaBucket bucket);
}
