using System.Threading.RateLimiting;
using Polly.RateLimiting;

namespace Gateway.Partners;

/// <summary>
/// A partner's configured quota (<c>Partners:&lt;p&gt;:RateLimit</c>) as two token buckets that never
/// lend to each other, so pass-through can never use up what disbursements need:
/// <list type="bullet">
/// <item>pass-through (<see cref="PassThrough"/>): ⌊Permits × PassThroughShare⌋ per period,
/// burst ⌊Burst × PassThroughShare⌋, no queue (a call over it is refused at once);</item>
/// <item>disbursements (<see cref="Disbursements"/>, the rate limiter of the partner's Polly pipeline):
/// the rest — Permits minus pass-through's per period, Burst minus pass-through's — with the
/// configured queue. As the share is at most 0.9 and rounded down, disbursements always keep at least one permit.</item>
/// </list>
/// Together they never exceed the partner's quota — across every gateway instance: the buckets live
/// in the store all instances share (<see cref="IQuotaBucketStore"/>, Redis), since a quota held per
/// instance would let N instances send the partner N times its contractual rate. Only the queue of
/// waiting disbursements is this instance's own.
/// A share that rounds to no permit (or burst) gives pass-through nothing: <see cref="PassThrough"/>
/// is null and disbursements keep the whole quota.
/// A partner without a configured quota has no <see cref="PartnerQuota"/> at all: nothing limits it.
/// A disbursement that has to wait for a permit, or is refused, is reported (<see cref="QuotaAlarm"/>);
/// one refused because the store could not be asked is refused all the same (fail closed: never
/// sent) but is not a saturated quota, so it is not reported as one.
/// </summary>
public sealed class PartnerQuota : IDisposable
{
    private readonly QuotaAlarm _alarm;

    private PartnerQuota(string partner, RateLimitOptions options, QuotaAlarm alarm, IQuotaBucketStore buckets)
    {
        _alarm = alarm;
        var (permits, burst) = PassThroughShare(options);
        PassThrough = permits > 0 && burst > 0
            ? buckets.Open(new QuotaBucket(partner, QuotaBucket.PassThrough, burst, permits, options.EffectivePeriod, QueueLimit: 0))
            : null;
        Disbursements = buckets.Open(new QuotaBucket(partner, QuotaBucket.Disburse,
            options.EffectiveBurst - (PassThrough is null ? 0 : burst),
            options.Permits!.Value - (PassThrough is null ? 0 : permits),
            options.EffectivePeriod,
            options.EffectiveQueueLimit,
            () => alarm.Saturated(QuotaAlarm.Queued)));
    }

    /// <summary>The quota the options configure, or null when they configure none (no <c>Permits</c>).</summary>
    internal static PartnerQuota? For(string partner, RateLimitOptions options, QuotaAlarm alarm, Func<IQuotaBucketStore> buckets) =>
        options.IsConfigured ? new PartnerQuota(partner, options, alarm, buckets()) : null;

    /// <summary>The disbursements' bucket: what pass-through can never take.</summary>
    public RateLimiter Disbursements { get; }

    /// <summary>Pass-through's bucket, or null when its share of the quota is no permit at all.</summary>
    public RateLimiter? PassThrough { get; }

    /// <summary>Pass-through's permits per period and burst: the share of each, rounded down (none without a quota).</summary>
    public static (int Permits, int Burst) PassThroughShare(RateLimitOptions options)
    {
        if (!options.IsConfigured)
        {
            return (0, 0);
        }

        // In decimal, so a share such as 0.29 of 100 is 29, not 28.999… rounded down.
        var share = (decimal)options.EffectivePassThroughShare;
        return ((int)Math.Floor(options.Permits!.Value * share), (int)Math.Floor(options.EffectiveBurst * share));
    }

    /// <summary>
    /// The pipeline's rate limiter strategy: a permit at once when there is one; otherwise the
    /// disbursement waits in the bucket's queue (reported as queued) or is refused (reported by
    /// <see cref="OnRejected"/>, and never sent).
    /// </summary>
    internal RateLimiterStrategyOptions Strategy() => new()
    {
        Name = "quota",
        RateLimiter = AcquireAsync,
        OnRejected = OnRejected,
    };

    /// <summary>
    /// A permit from the chunk at hand or the shared bucket; when there is none the disbursement
    /// waits in this instance's queue (the limiter reports it as queued) or is refused.
    /// </summary>
    private ValueTask<RateLimitLease> AcquireAsync(RateLimiterArguments args) =>
        Disbursements.AcquireAsync(1, args.Context.CancellationToken);

    private ValueTask OnRejected(OnRateLimiterRejectedArguments args)
    {
        if (!(args.Lease.TryGetMetadata(MetadataName.ReasonPhrase, out var reason) && reason == QuotaBucket.StoreUnavailable))
        {
            _alarm.Saturated(QuotaAlarm.Refused);
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        Disbursements.Dispose();
        PassThrough?.Dispose();
    }
}

/// <summary>
/// Makes a saturated quota visible: every disbursement that waits for a permit or is refused is
/// counted (<see cref="GatewayMetrics.PartnerQuotaSaturated"/>), and a warning is logged at most
/// once per <see cref="Quiet"/> per partner, with the counts since the last one, so a saturated
/// quota never floods the log.
/// </summary>
internal sealed class QuotaAlarm(string partner, RateLimitOptions quota, GatewayMetrics metrics, TimeProvider time, ILogger log)
{
    public const string Queued = "queued";
    public const string Refused = "refused";

    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);

    private long _queued;
    private long _refused;
    private long _nextWarning = long.MinValue;

    public void Saturated(string outcome)
    {
        metrics.PartnerQuotaSaturated(partner, outcome);
        if (ReferenceEquals(outcome, Refused))
        {
            Interlocked.Increment(ref _refused);
        }
        else
        {
            Interlocked.Increment(ref _queued);
        }

        var now = time.GetTimestamp();
        var due = Interlocked.Read(ref _nextWarning);
        if (now < due || Interlocked.CompareExchange(ref _nextWarning, now + (long)(Quiet.TotalSeconds * time.TimestampFrequency), due) != due)
        {
            return;
        }

        PartnerLog.QuotaSaturated(log, partner, Interlocked.Exchange(ref _queued, 0), Interlocked.Exchange(ref _refused, 0),
            quota.Permits ?? 0, quota.EffectivePeriod, quota.EffectiveBurst, quota.EffectiveQueueLimit, Quiet.TotalSeconds);
    }
}
