using System.Collections;
using System.Diagnostics;
using Gateway.Hosting;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Simulators.Ycb;

namespace Gateway.Tests.Tracing;

/// <summary>
/// A ycb simulator and a gateway that traces into memory: the gateway's own instrumentation
/// (<see cref="TracingSetup.AddGatewayInstrumentation"/>) with an in-memory exporter instead of
/// OTLP, registered through <see cref="GatewayFactory"/>'s services callback. A one-second lease and
/// a fast reconciler, so a dead instance's payout is taken over quickly.
/// </summary>
public sealed class TracingHarness : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private GatewayFactory? _gateway;

    public YcbSimulator Ycb { get; private set; } = null!;

    /// <summary>Every span exported while this harness's gateway runs (its listener sees the whole process).</summary>
    public SpanCollection Exported { get; } = new();

    public RedisSpace Space { get; private set; } = null!;

    public GatewayFactory Gateway(IGatewayRedis redis)
    {
        lock (_gate)
        {
            if (_gateway is null)
            {
                Space = redis.Allocate();
                var settings = GatewayFactory.Settings(Space.ConnectionString, Ycb.Url);
                Space.ApplyTo(settings);
                settings["Recovery:LeaseTtl"] = "00:00:01";
                settings["Recovery:ScanInterval"] = "00:00:00.200";
                _gateway = new GatewayFactory(settings, services => services.AddOpenTelemetry()
                    .WithTracing(tracing => tracing.AddGatewayInstrumentation().AddInMemoryExporter(Exported)));
                _ = _gateway.Server;
            }

            return _gateway;
        }
    }

    public Task InitializeAsync()
    {
        Ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3), SettleAfter = TimeSpan.FromMilliseconds(600) });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        Ycb.Dispose();
    }

    /// <summary>The exporter's collection, safe to read while the gateway adds to it.</summary>
    public sealed class SpanCollection : ICollection<Activity>
    {
        private readonly List<Activity> _spans = [];

        public int Count
        {
            get
            {
                lock (_spans)
                {
                    return _spans.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        /// <summary>A copy of what was exported so far.</summary>
        public IReadOnlyList<Activity> Snapshot()
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }

        /// <summary>The spans named <paramref name="name"/> of one payout (its <c>payout.id</c> tag).</summary>
        public IReadOnlyList<Activity> Of(string payoutId, string name) =>
            [.. Snapshot().Where(s => s.OperationName == name && (s.GetTagItem(PayoutTracing.PayoutIdTag) as string) == payoutId)];

        public void Add(Activity item)
        {
            lock (_spans)
            {
                _spans.Add(item);
            }
        }

        public void Clear()
        {
            lock (_spans)
            {
                _spans.Clear();
            }
        }

        public bool Contains(Activity item)
        {
            lock (_spans)
            {
                return _spans.Contains(item);
            }
        }

        public void CopyTo(Activity[] array, int arrayIndex)
        {
            lock (_spans)
            {
                _spans.CopyTo(array, arrayIndex);
            }
        }

        public bool Remove(Activity item)
        {
            lock (_spans)
            {
                return _spans.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
