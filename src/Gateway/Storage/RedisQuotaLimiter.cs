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
/// <b>Waiting.</b> When the bucket is empty, up to <c>QueueLimit</c> permits wait here, oldest
/// first (one loop asks the bucket again when its script says the next token is due); beyond
/// that an acquisition is refused at once, with <see cref="MetadataName.RetryAfter"/>. The queue
/// is this instance's: the shared bucket still decides who gets tokens.
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
/// queue limit of 0 it still answers at once after one round trip).
/// </para>
/// </summary>
public sealed class RedisQuotaLimiter : RateLimiter
{
    /// <summary>How long tokens taken in a chunk may be handed out before the rest are discarded.</summary>
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMilliseconds(100);

    private static readonly RateLimitLease Acquired = new Lease(true, null, null);
    private static readonly RateLimitLease NotAtHand = new Lease(false, null, null);
    private static readonly RateLimitLease Unavailable = new Lease(false, null, QuotaBucket.StoreUnavailable);

    private readonly RedisTokenBucket _bucket;
    private readonly int _queueLimit;
    private readonly TimeProvider _time;
    private readonly Action? _queued;
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly CancellationTokenSource _disposed = new();

    private int _queuedPermits;
    private int _atHand;
    private long _atHandUntil;
    private TimeSpan _retryAfter = TimeSpan.FromSeconds(1);
    private bool _pumping;
    private long _successful;
    private long _failed;

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

    private long _roundTrips;

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

        Task<RateLimitLease>? waiting;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            if (_waiters.Count == 0 && (permitCount == 0 || TakeAtHand(permitCount)))
            {
                return new ValueTask<RateLimitLease>(Granted());
            }

            if (_waiters.Count == 0)
            {
                waiting = null;
            }
            else if (_queuedPermits + permitCount > _queueLimit)
            {
                // Others already wait for the bucket: oldest first, so no round trip to jump them.
                return new ValueTask<RateLimitLease>(Refused(new Lease(false, _retryAfter, null)));
            }
            else
            {
                waiting = Enqueue(permitCount, cancellationToken);
            }
        }

        if (waiting is not null)
        {
            _queued?.Invoke();
            return new ValueTask<RateLimitLease>(waiting);
        }

        return new ValueTask<RateLimitLease>(FetchAsync(permitCount, cancellationToken));
    }

    /// <summary>Nobody waits and nothing is at hand: one round trip for a chunk, else wait or refuse.</summary>
    private async Task<RateLimitLease> FetchAsync(int permitCount, CancellationToken cancellationToken)
    {
        BucketTake take;
        try
        {
            take = await TakeAsync(Math.Max(permitCount, Chunk));
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            return Refused(Unavailable);
        }

        Task<RateLimitLease> waiting;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return Refused(NotAtHand);
            }

            AddAtHand(take.Granted);
            _retryAfter = take.RetryAfter;
            if (_waiters.Count == 0 && TakeAtHand(permitCount))
            {
                return Granted();
            }

            if (_queuedPermits + permitCount > _queueLimit)
            {
                ServeWaiters();
                return Refused(new Lease(false, take.RetryAfter, null));
            }

            waiting = Enqueue(permitCount, cancellationToken);
            ServeWaiters();
            StartPump(take.RetryAfter);
        }

        _queued?.Invoke();
        return await waiting;
    }

    /// <summary>
    /// While permits wait: sleep until the bucket's next token is due, take what the waiters need
    /// (at least a chunk, at most the burst), hand it out oldest first. One loop per limiter.
    /// </summary>
    private async Task PumpAsync(TimeSpan delay)
    {
        while (true)
        {
            try
            {
                await Task.Delay(Clamp(delay), _time, _disposed.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            int want;
            lock (_gate)
            {
                if (StopPumpWhenServed())
                {
                    return;
                }

                want = Math.Clamp(_queuedPermits, Math.Max(Chunk, _waiters.First!.Value.Count), _bucket.TokenLimit);
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

            lock (_gate)
            {
                AddAtHand(take.Granted);
                _retryAfter = take.RetryAfter;
                if (StopPumpWhenServed())
                {
                    return;
                }
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

    private static TimeSpan Clamp(TimeSpan delay) =>
        delay < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : delay > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : delay;

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
            _atHandUntil = _time.GetTimestamp() + (long)(Hold.TotalSeconds * _time.TimestampFrequency);
        }

        _atHand += tokens;
    }

    private Task<RateLimitLease> Enqueue(int permitCount, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(this, permitCount);
        waiter.Node = _waiters.AddLast(waiter);
        _queuedPermits += permitCount;
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
        }

        return waiter.Completion.Task;
    }

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

    private void StartPump(TimeSpan delay)
    {
        if (!_pumping)
        {
            _pumping = true;
            _ = PumpAsync(delay);
        }
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
        _queuedPermits -= waiter.Count;
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

    private sealed class Lease(bool acquired, TimeSpan? retryAfter, string? reason) : RateLimitLease
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
}
