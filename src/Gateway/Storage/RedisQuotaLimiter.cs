using System.Threading.RateLimiting;
using Gateway.Partners;
using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>
/// A <see cref="RateLimiter"/> on a token bucket every gateway instance shares
/// (<see cref="RedisTokenBucket"/>), so a partner's quota holds for the whole gateway, not per
/// instance. Polly's rate limiter strategy and the pass-through code use it like any limiter.
/// <para>
/// <b>Chunks.</b> A round trip per permit would cost a large quota one Redis call per
/// disbursement. So one script call takes up to <see cref="Chunk"/> tokens (about 1/20 of a
/// second's permits, at least 1) and this instance hands them out itself, for at most
/// <see cref="Hold"/> after taking them; what is left then is discarded, never returned. A token
/// leaves the shared bucket once and is used at most once, so the instances together never
/// exceed the quota; the price is that they may use slightly less of it (at most a chunk per
/// instance per hold) and one instance may hold tokens while another waits, for at most the hold.
/// With a quota of P per second, a busy instance makes about 20 round trips a second instead of P.
/// </para>
/// <para>
/// <b>Waiting.</b> One loop per limiter asks the bucket, so acquisitions that miss the chunk at
/// hand at the same moment share one round trip (it takes what they need, at least a chunk, at
/// most the burst) instead of each taking and stranding a chunk. When the bucket comes back
/// empty, up to <c>QueueLimit</c> permits wait here, oldest first, and are reported as queued;
/// beyond that an acquisition is refused with <see cref="MetadataName.RetryAfter"/>. Until the
/// script's "next token due" time an acquisition is queued or refused at once, without a round
/// trip: the bucket cannot have a token earlier. The queue is this instance's own; the shared
/// bucket still decides who gets tokens.
/// </para>
/// <para>
/// <b>Redis down.</b> Fails closed: when the bucket cannot be asked, no permit is granted (and
/// waiters are refused), with <see cref="QuotaBucket.StoreUnavailable"/> as the reason. Nothing is
/// sent to the partner; the caller's path for a refused permit decides what the client sees.
/// Only tokens already taken from the bucket before the outage may still be used, within the hold.
/// </para>
/// <para>
/// <see cref="RateLimiter.AttemptAcquire"/> never waits for Redis: it grants only from the chunk
/// at hand. Callers that must reach the bucket use <see cref="RateLimiter.AcquireAsync"/> (with a
/// queue limit of 0 it answers after at most one round trip).
/// </para>
/// </summary>
public sealed class RedisQuotaLimiter : RateLimiter
{
    /// <summary>How long tokens taken in a chunk may be handed out before the rest are discarded.</summary>
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMilliseconds(100);

    private static readonly RateLimitLease Acquired = new QuotaLease(true, null, null);
    private static readonly RateLimitLease NotAtHand = new QuotaLease(false, null, null);
    private static readonly RateLimitLease Unavailable = new QuotaLease(false, null, QuotaBucket.StoreUnavailable);

    private readonly RedisTokenBucket _bucket;
    private readonly int _queueLimit;
    private readonly TimeProvider _time;
    private readonly Action? _queued;
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>Longest sleep of the loop before it asks the bucket again (a long period's next token).</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private int _waitingPermits;   // every waiter's
    private int _queuedPermits;    // those that found the bucket empty: what QueueLimit bounds
    private int _atHand;
    private long _atHandUntil;
    private long _emptyUntil;      // before then the bucket has no whole token (its script said so)
    private bool _pumping;
    private long _successful;
    private long _failed;
    private long _roundTrips;

    /// <param name="queued">Called (outside any lock) each time an acquisition has to wait.</param>
    public RedisQuotaLimiter(RedisTokenBucket bucket, int queueLimit, int chunk, TimeSpan hold, TimeProvider time, Action? queued = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunk, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunk, bucket.TokenLimit);
        _bucket = bucket;
        _queueLimit = queueLimit;
        Chunk = chunk;
        Hold = hold;
        _time = time;
        _queued = queued;
    }

    /// <summary>Tokens one round trip takes when nobody waits (more when waiters need more, up to the burst).</summary>
    public int Chunk { get; }

    public TimeSpan Hold { get; }

    /// <summary>Round trips to the bucket so far (for tests and for judging the chunk).</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <summary>
    /// About 1/20 of a second's permits, at least 1 and at most the burst: small against the rate, so
    /// what an instance may strand is small, and large enough to spare most round trips.
    /// </summary>
    public static int ChunkFor(int tokenLimit, int tokensPerPeriod, TimeSpan period)
    {
        var perSecond = tokensPerPeriod / period.TotalSeconds;
        return (int)Math.Clamp(Math.Floor(perSecond / 20), 1, tokenLimit);
    }

    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics GetStatistics()
    {
        lock (_gate)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = AtHand(),
                CurrentQueuedCount = _queuedPermits,
                TotalSuccessfulLeases = Interlocked.Read(ref _successful),
                TotalFailedLeases = Interlocked.Read(ref _failed),
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        CheckCount(permitCount);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            if (_waiters.Count == 0 && (permitCount == 0 ? AtHand() > 0 : TakeAtHand(permitCount)))
            {
                return Granted();
            }
        }

        return Refused(NotAtHand);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        CheckCount(permitCount);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RateLimitLease>(cancellationToken);
        }

        Task<RateLimitLease> waiting;
        var queued = false;
        TimeSpan? pump = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            if (_waiters.Count == 0 && (permitCount == 0 || TakeAtHand(permitCount)))
            {
                return new ValueTask<RateLimitLease>(Granted());
            }

            var emptyFor = EmptyFor();
            if (emptyFor > TimeSpan.Zero)
            {
                // The bucket cannot have a token before then (tokens only come from refill): wait or
                // be refused now, without a round trip.
                if (_queuedPermits + permitCount > _queueLimit)
                {
                    return new ValueTask<RateLimitLease>(Refused(new QuotaLease(false, emptyFor, null)));
                }

                waiting = Enqueue(permitCount, queued = true, cancellationToken);
                pump = ClaimPump(emptyFor);
            }
            else
            {
                waiting = Enqueue(permitCount, queued: false, cancellationToken);
                pump = ClaimPump(TimeSpan.Zero);
            }
        }

        if (pump is { } delay)
        {
            // Outside the lock: the loop runs on this thread up to its first round trip.
            _ = PumpAsync(delay);
        }

        Report(queued ? 1 : 0);
        return new ValueTask<RateLimitLease>(waiting);
    }

    /// <summary>
    /// The one loop that asks the bucket for this limiter, while anyone waits: so concurrent misses
    /// share one round trip instead of each taking (and stranding) a chunk. It takes what the
    /// waiters need (at least a chunk, at most the burst), hands it out oldest first, and when the
    /// bucket came back empty sleeps until its next token is due; those still waiting then are
    /// queued (reported) or, past the queue limit, refused.
    /// </summary>
    private async Task PumpAsync(TimeSpan delay)
    {
        try
        {
            await PumpLoopAsync(delay);
        }
        catch (Exception)
        {
            // A bug, not an outage; still never a permit nobody took from the bucket, nor a waiter left hanging.
            lock (_gate)
            {
                FailWaiters(Unavailable);
                _pumping = false;
            }
        }
    }

    private async Task PumpLoopAsync(TimeSpan delay)
    {
        while (true)
        {
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay > MaxSleep ? MaxSleep : delay, _time, _disposed.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            int want;
            lock (_gate)
            {
                if (StopPumpWhenServed())
                {
                    return;
                }

                want = Math.Clamp(_waitingPermits, Math.Max(Chunk, _waiters.First!.Value.Count), _bucket.TokenLimit);
            }

            BucketTake take;
            try
            {
                take = await TakeAsync(want);
            }
            catch (Exception ex) when (IsStoreFailure(ex))
            {
                lock (_gate)
                {
                    FailWaiters(Unavailable);
                    _pumping = false;
                }

                return;
            }

            var newlyQueued = 0;
            bool stopped;
            lock (_gate)
            {
                AddAtHand(take.Granted);
                ServeWaiters();
                if (take.RetryAfter > TimeSpan.Zero)
                {
                    _emptyUntil = _time.GetTimestamp() + Ticks(take.RetryAfter);
                    newlyQueued = QueueOrRefuseTheRest(take.RetryAfter);
                }

                stopped = StopPumpWhenServed();
            }

            Report(newlyQueued);
            if (stopped)
            {
                return;
            }

            delay = take.RetryAfter;
        }
    }

    private async Task<BucketTake> TakeAsync(int want)
    {
        Interlocked.Increment(ref _roundTrips);
        return await _bucket.TakeAsync(want);
    }

    /// <summary>Any failure to ask Redis, including a connection already disposed at shutdown: no permit.</summary>
    private static bool IsStoreFailure(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

    private void CheckCount(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _bucket.TokenLimit);
    }

    // Everything below runs under _gate.

    private int AtHand()
    {
        if (_atHand > 0 && _time.GetTimestamp() >= _atHandUntil)
        {
            _atHand = 0; // held too long: discarded, never given back (see the class comment)
        }

        return _atHand;
    }

    private bool TakeAtHand(int permitCount)
    {
        if (AtHand() < permitCount)
        {
            return false;
        }

        _atHand -= permitCount;
        return true;
    }

    /// <summary>Tokens just taken; when some are still at hand, all expire with the older ones, so none is held longer than the hold.</summary>
    private void AddAtHand(int tokens)
    {
        if (tokens <= 0)
        {
            return;
        }

        if (AtHand() == 0)
        {
            _atHandUntil = _time.GetTimestamp() + Ticks(Hold);
        }

        _atHand += tokens;
    }

    private Task<RateLimitLease> Enqueue(int permitCount, bool queued, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(this, permitCount) { Queued = queued };
        waiter.Node = _waiters.AddLast(waiter);
        _waitingPermits += permitCount;
        _queuedPermits += queued ? permitCount : 0;
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
        }

        return waiter.Completion.Task;
    }

    /// <summary>The bucket came back empty: those that waited for that answer now wait for a refill, oldest first, or are refused.</summary>
    private int QueueOrRefuseTheRest(TimeSpan retryAfter)
    {
        var queued = 0;
        for (var node = _waiters.First; node is not null;)
        {
            var next = node.Next;
            var waiter = node.Value;
            if (!waiter.Queued)
            {
                if (_queuedPermits + waiter.Count <= _queueLimit)
                {
                    waiter.Queued = true;
                    _queuedPermits += waiter.Count;
                    queued++;
                }
                else
                {
                    Dequeue(waiter);
                    waiter.Completion.TrySetResult(Refused(new QuotaLease(false, retryAfter, null)));
                }
            }

            node = next;
        }

        return queued;
    }

    private TimeSpan EmptyFor()
    {
        var left = _emptyUntil - _time.GetTimestamp();
        return left > 0 ? TimeSpan.FromSeconds((double)left / _time.TimestampFrequency) : TimeSpan.Zero;
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private void ServeWaiters()
    {
        while (_waiters.First is { } head && TakeAtHand(head.Value.Count))
        {
            Dequeue(head.Value);
            Interlocked.Increment(ref _successful);
            head.Value.Completion.TrySetResult(Acquired);
        }
    }

    private bool StopPumpWhenServed()
    {
        ServeWaiters();
        if (_waiters.Count > 0 && !_disposed.IsCancellationRequested)
        {
            return false;
        }

        _pumping = false;
        return true;
    }

    /// <summary>Reports waits (outside the lock): the saturation alarm, once per queued acquisition.</summary>
    private void Report(int queued)
    {
        for (var i = 0; i < queued && _queued is not null; i++)
        {
            _queued();
        }
    }

    /// <summary>The delay to start the loop with, when it is not running (the caller starts it, outside the lock); else null.</summary>
    private TimeSpan? ClaimPump(TimeSpan delay)
    {
        if (_pumping)
        {
            return null;
        }

        _pumping = true;
        return delay;
    }

    private void FailWaiters(RateLimitLease lease)
    {
        while (_waiters.First is { } head)
        {
            Dequeue(head.Value);
            Interlocked.Increment(ref _failed);
            head.Value.Completion.TrySetResult(lease);
        }
    }

    private void Dequeue(Waiter waiter)
    {
        _waiters.Remove(waiter.Node!);
        waiter.Node = null;
        _waitingPermits -= waiter.Count;
        _queuedPermits -= waiter.Queued ? waiter.Count : 0;
        waiter.Cancellation.Unregister();
    }

    private RateLimitLease Granted()
    {
        Interlocked.Increment(ref _successful);
        return Acquired;
    }

    private RateLimitLease Refused(RateLimitLease lease)
    {
        Interlocked.Increment(ref _failed);
        return lease;
    }

    /// <summary>Refuses whatever still waits; the shared bucket is left as it is. (DisposeAsync ends here too.)</summary>
    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            FailWaiters(NotAtHand);
        }

        base.Dispose(disposing);
    }

    /// <summary>A queued acquisition; completed (TaskCreationOptions.RunContinuationsAsynchronously) under the lock.</summary>
    private sealed class Waiter(RedisQuotaLimiter owner, int count)
    {
        public int Count { get; } = count;

        /// <summary>Found the bucket empty, so counts against the queue limit (and was reported).</summary>
        public bool Queued { get; set; }

        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Cancellation { get; set; }

        public void Cancel(CancellationToken token)
        {
            lock (owner._gate)
            {
                if (Node is null)
                {
                    return;
                }

                owner.Dequeue(this);
            }

            Completion.TrySetCanceled(token);
        }
    }
}
