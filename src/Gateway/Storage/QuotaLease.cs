using System.Threading.RateLimiting;

namespace Gateway.Storage;

/// <summary>
/// A quota lease of <see cref="RedisQuotaLimiter"/>: granted or not, with the metadata the callers
/// read on a refusal (<see cref="MetadataName.RetryAfter"/> for the Retry-After they answer, and
/// <see cref="MetadataName.ReasonPhrase"/> to tell "store unavailable" from a saturated quota).
/// Nothing to release: a token taken from the bucket is spent, so disposing does nothing.
/// </summary>
internal sealed class QuotaLease(bool acquired, TimeSpan? retryAfter, string? reason) : RateLimitLease
{
    public override bool IsAcquired => acquired;

    public override IEnumerable<string> MetadataNames
    {
        get
        {
            if (retryAfter is not null)
            {
                yield return MetadataName.RetryAfter.Name;
            }

            if (reason is not null)
            {
                yield return MetadataName.ReasonPhrase.Name;
            }
        }
    }

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter
            : metadataName == MetadataName.ReasonPhrase.Name ? reason
            : null;
        return metadata is not null;
    }
}
