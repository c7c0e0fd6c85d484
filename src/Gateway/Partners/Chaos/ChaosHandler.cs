using System.Net;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;
using Polly.Simmy.Outcomes;

namespace Gateway.Partners.Chaos;

/// <summary>
/// Polly's chaos strategies (<c>Polly.Simmy</c>) for one partner, as the innermost handler of its
/// adapter's HttpClient: after the dialect's signing, right where the request would leave. So they
/// sit inside the partner's whole pipeline (total timeout → retry → quota → breaker → attempt
/// timeout, <see cref="PartnerPipelines"/>) and inside the attempt's recording (<see cref="PartnerCalls"/>),
/// and the gateway reads each injection exactly as it reads the real fault:
/// <list type="bullet">
/// <item><c>&lt;partner&gt;-chaos-latency</c>: the request waits before it is sent. Past the attempt
/// timeout it is a timeout: an unknown outcome ("timeout"), which the gateway resolves by inquiry
/// (the partner never heard of the reference, so after its grace it fails PARTNER_TIMEOUT).</item>
/// <item><c>&lt;partner&gt;-chaos-fault</c>: a refused connection (<see cref="HttpRequestException"/>,
/// <see cref="HttpRequestError.ConnectionError"/>) thrown instead of sending. That is what the
/// gateway reads as "nothing was sent" ("refused", PARTNER_UNAVAILABLE, retried and failed over at
/// once), and it is true here: the request never leaves, so a retry can never execute twice.</item>
/// <item><c>&lt;partner&gt;-chaos-outcome</c>: an answer made by the gateway, with the configured status
/// and an empty body, instead of sending. A 5xx is read as a partner outage, an unknown outcome
/// ("unavailable"), resolved by inquiry (PARTNER_UNAVAILABLE once the partner confirms it has nothing);
/// a 429 as the partner's dialect reads a bare 429 (prb, SilkPay: throttled, nothing executed, retried).</item>
/// </list>
/// Each injection is counted by Polly's meter (<c>resilience.polly.strategy.events</c>, pipeline
/// <c>&lt;partner&gt;:chaos</c>, the strategy names above) and logged (<see cref="ChaosLog"/>).
/// </summary>
internal sealed class ChaosHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("gateway.chaos.request");

    private readonly ChaosPartnerOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public ChaosHandler(string partner, ChaosPartnerOptions options, TimeProvider time, ILogger log)
    {
        _options = options;
        _pipeline = Pipeline(partner, options, time, log);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var touched = request.Method == HttpMethod.Get ? _options.Inquiries : _options.Disbursements;
        if (!touched)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (context, state) => new ValueTask<HttpResponseMessage>(state.self.SendOnAsync(state.request, context.CancellationToken)),
                context, (self: this, request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendOnAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    /// <summary>latency → fault → outcome; a strategy whose rate is 0 is not added.</summary>
    internal static ResiliencePipeline<HttpResponseMessage> Pipeline(string partner, ChaosPartnerOptions options, TimeProvider time, ILogger log)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = partner + ":chaos", TimeProvider = time }
            .ConfigureTelemetry(PartnerPipelines.Telemetry);
        if (options.LatencyRate > 0)
        {
            builder.AddChaosLatency(new ChaosLatencyStrategyOptions
            {
                Name = partner + "-chaos-latency",
                InjectionRate = options.LatencyRate,
                Latency = options.Latency,
                OnLatencyInjected = args =>
                {
                    ChaosLog.Injected(log, partner, "latency " + args.Latency.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " ms",
                        Describe(args.Context));
                    return ValueTask.CompletedTask;
                },
            });
        }

        if (options.FaultRate > 0)
        {
            builder.AddChaosFault(new ChaosFaultStrategyOptions
            {
                Name = partner + "-chaos-fault",
                InjectionRate = options.FaultRate,
                FaultGenerator = static _ => ValueTask.FromResult<Exception?>(new HttpRequestException(HttpRequestError.ConnectionError,
                    "Connection refused (injected by the gateway's chaos settings: nothing was sent)")),
                OnFaultInjected = args =>
                {
                    ChaosLog.Injected(log, partner, "fault (refused connection)", Describe(args.Context));
                    return ValueTask.CompletedTask;
                },
            });
        }

        if (options.OutcomeRate > 0)
        {
            var status = options.OutcomeStatus;
            builder.AddChaosOutcome(new ChaosOutcomeStrategyOptions<HttpResponseMessage>
            {
                Name = partner + "-chaos-outcome",
                InjectionRate = options.OutcomeRate,
                OutcomeGenerator = args => ValueTask.FromResult<Outcome<HttpResponseMessage>?>(Outcome.FromResult(Answer(status, args.Context))),
                OnOutcomeInjected = args =>
                {
                    ChaosLog.Injected(log, partner, "outcome HTTP " + status.ToString(System.Globalization.CultureInfo.InvariantCulture), Describe(args.Context));
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    /// <summary>The injected answer: the status, an empty body, and for a 429 a Retry-After of 1 s, as partners send it.</summary>
    private static HttpResponseMessage Answer(int status, ResilienceContext context)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status)
        {
            RequestMessage = context.Properties.GetValue(RequestKey, null!),
            Content = new ByteArrayContent([]),
        };
        if (status == 429)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
        }

        return response;
    }

    private static string Describe(ResilienceContext context) =>
        context.Properties.TryGetValue(RequestKey, out var request) ? $"{request.Method} {request.RequestUri?.AbsolutePath}" : "?";
}
