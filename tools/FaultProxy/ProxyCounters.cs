namespace FaultProxy;

/// <summary>The proxy's counters, updated from every connection without locks.</summary>
internal sealed class ProxyCounters
{
    private long _accepted;
    private long _bytesUpstream;
    private long _bytesDownstream;
    private long _bytesDropped;
    private long _reset;

    public void Accepted() => Interlocked.Increment(ref _accepted);

    public void Reset() => Interlocked.Increment(ref _reset);

    public void Dropped(int bytes) => Interlocked.Add(ref _bytesDropped, bytes);

    public void Forwarded(FaultDirection direction, int bytes)
    {
        if (direction == FaultDirection.Upstream)
        {
            Interlocked.Add(ref _bytesUpstream, bytes);
        }
        else
        {
            Interlocked.Add(ref _bytesDownstream, bytes);
        }
    }

    public ProxyStats Snapshot(int open) => new(
        Interlocked.Read(ref _accepted),
        open,
        Interlocked.Read(ref _bytesUpstream),
        Interlocked.Read(ref _bytesDownstream),
        Interlocked.Read(ref _bytesDropped),
        Interlocked.Read(ref _reset));
}
