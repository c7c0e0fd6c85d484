using Gateway.Diagnosis;
using Gateway.Hosting;
using Gateway.Partners;
using Gateway.Routing;
using Microsoft.Extensions.Options;
using Gateway.Storage;
using Gateway.Core;
using Polly;
using Polly.Registry;

namespace Gateway.Payouts;

/// <summary>
/// Drives one recorded payout to a final status: one disbursement call (the pipeline retries
/// only what cannot have executed), then inquiries until the partner's answer is final.
/// An unknown outcome is never taken for a failure (failure-causes.md rule 1); a duplicate
/// answer is resolved by adopting the partner's own record, unless that record is another
/// payment (rule 2); a routed payout fails over only after a definite "not executed" (rule 3).
/// Each step is saved before the next, and saving retries while Redis is away, so nothing the
/// partner did is lost. A payout still unresolved after <see cref="PayoutsOptions.ResolveFor"/>
/// is handed back to the reconciler with a backoff.
/// <para>
/// Fencing and write-ahead: the run carries the fencing token it drives the payout with. Before
/// every disbursement attempt (the first and each pipeline retry) it records a send intent in
/// Redis — partner, time, token — in a script that refuses a stale token, so the partner choice
/// (router, open circuit, failover) is durable before the partner can hear of it, and an instance
/// that lost the payout never sends. Every save carries the token as well. A refused run stops at
/// once: no further partner call, no write; the new owner carries on.
/// </para>
/// <para>
/// Recovery (<see cref="ExecutionStart.Inquire"/>) inquires every partner that may have heard of
/// the payout (each send intent's partner and the stored one): one that executed it (or is
/// processing it) is adopted; only once every one of them has proved it did not execute ("not
/// found" past its grace from the last intent, or a definite rejection) may the payout be sent.
/// </para>
/// </summary>
public sealed class PayoutExecutor(
    PartnerRegistry partners,
    PartnerCalls calls,
    PartnerCircuits circuits,
    PayoutRouter router,
    PayoutStore store,
    PayoutLeases leases,
    CauseCatalogue catalogue,
    Diagnoser diagnoser,
    GatewayMetrics metrics,
    RecoveryMetrics recoveryMetrics,
    TimeProvider time,
    IOptions<PayoutsOptions> options,
    IOptions<RecoveryOptions> recovery,
    ResiliencePipelineProvider<string> pipelines,
    ILogger<PayoutExecutor> log)
{
    private readonly ResiliencePipeline _saveRetry = pipelines.GetPipeline(PayoutPipelines.Save);

    /// <param name="draining">
    /// Cancelled when the instance shuts down: the step in progress (a partner call and the save of
    /// its answer) completes, then a payout still not final is handed over (<see cref="HandOverAsync"/>).
    /// </param>
    /// <param name="cancellationToken">Cancels even a partner call in flight: only when the shutdown timeout is nearly spent.</param>
    public async Task<PayoutRecord> ExecuteAsync(StoredPayout stored, string fingerprint, ExecutionStart start,
        CancellationToken draining, CancellationToken cancellationToken)
    {
        // Every event of the execution (partner calls, diagnosis, outcome) carries the payout and its loan.
        using var scope = log.BeginScope(new Dictionary<string, object>
        {
            ["PayoutId"] = stored.Payout.Id,
            ["LoanId"] = stored.Payout.LoanId,
        });
        var run = new Run(stored, fingerprint);
        leases.Hold(stored.Payout.Id, run.Fence);
        try
        {
            return await DriveAsync(run, start, draining, cancellationToken);
        }
        finally
        {
            leases.Forget(stored.Payout.Id, run.Fence);
        }
    }

    /// <summary>
    /// The thin loop around <see cref="PayoutDecisions.Decide"/>: perform the step it chose (a
    /// partner call, a fenced write, a wait), feed the result back as the next event, until a step ends the run.
    /// </summary>
    private async Task<PayoutRecord> DriveAsync(Run run, ExecutionStart start, CancellationToken draining, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, draining);
        run.State = PayoutState.Of(run.Stored, time.GetUtcNow() + options.Value.ResolveFor);
        PayoutEvent happened = new Started(start);
        while (true)
        {
            var now = time.GetUtcNow();
            var decision = PayoutDecisions.Decide(Observe(run, draining), happened, now, Context());
            run.State = decision.State;
            try
            {
                switch (decision.Step)
                {
                    case Send send:
                        happened = new Sent(send.Partner, await SendAsync(run, send.Partner, cancellationToken));
                        break;
                    case Inquire inquire:
                        happened = new Inquired(inquire.Partner,
                            await calls.InquireAsync(partners.Get(inquire.Partner), run.Payout.Id, run.Attempts, cancellationToken), now);
                        break;
                    case Save:
                        happened = new Saved(await SaveProgressAsync(run, cancellationToken));
                        break;
                    case FailOver hop:
                        PayoutLog.FailingOver(log, run.Payout.Id, hop.From, hop.To, hop.Cause);
                        run.MarkHop(hop.From, hop.Cause);
                        happened = new Saved(await SaveProgressAsync(run, cancellationToken, force: true));
                        break;
                    case Wait wait:
                        happened = await WaitAsync(wait.Until - now, wait.Drainable ? waiting.Token : cancellationToken, draining, cancellationToken);
                        break;
                    case Finish finish:
                        return await FinishAsync(run, finish.Status, finish.Answer, cancellationToken);
                    case Settled settled:
                        return settled.Final;
                    case HandBack:
                        return await HandBackAsync(run);
                    case HandOver:
                        return await HandOverAsync(run);
                    case StopRun stop:
                        return await StopAsync(run, stop);
                    default:
                        throw new InvalidOperationException($"No effect for step {decision.Step}.");
                }
            }
            catch (StopDriving stop)
            {
                happened = Refusal(stop);
            }
            catch (SendRefusedException refused) when (refused.InnerException is StopDriving stop)
            {
                happened = Refusal(stop);
            }
        }
    }

    private static Refused Refusal(StopDriving stop) => new(stop.Reason, stop.CurrentFence, stop.Release, stop.Final);

    /// <summary>A wait between inquiries is no partner call: a drainable one ends at once on shutdown.</summary>
    private async Task<PayoutEvent> WaitAsync(TimeSpan delay, CancellationToken token, CancellationToken draining, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, time, token);
            return new Waited();
        }
        catch (OperationCanceledException) when (draining.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new Drained();
        }
    }

    /// <summary>The run's state with the facts its effects produced: intents recorded, partners called, the lease.</summary>
    private static PayoutState Observe(Run run, CancellationToken draining) => run.State with
    {
        Intents = [.. run.Intents],
        Called = [.. run.Attempts.Select(a => a.Partner).Distinct(StringComparer.Ordinal)],
        Lease = run.State.Lease == LeaseState.Fenced ? LeaseState.Fenced
            : draining.IsCancellationRequested ? LeaseState.Draining : LeaseState.Held,
    };

    /// <summary>What the decisions read, taken now: the routing order's healthy partners, graces, failover causes.</summary>
    private DecisionContext Context()
    {
        var fixedPart = _context ??= new DecisionContext
        {
            Healthy = [],
            Enabled = partners.Enabled.Select(p => p.Name).ToHashSet(StringComparer.Ordinal),
            InquiryGrace = partners.Enabled.ToDictionary(p => p.Name, p => partners.OptionsOf(p.Name).InquiryGrace, StringComparer.Ordinal),
            FailoverCauses = catalogue.All.Where(c => c.Failover).Select(c => c.Name).ToHashSet(StringComparer.Ordinal),
            MaxInquiryInterval = options.Value.MaxInquiryInterval,
        };
        var healthy = new List<string>();
        while (router.NextHealthy(healthy) is { } next)
        {
            healthy.Add(next);
        }

        return fixedPart with { Healthy = healthy };
    }

    private DecisionContext? _context;

    /// <summary>
    /// Sends the disbursement to <paramref name="partner"/> (the decision has made it the payout's
    /// partner). The send intent is recorded (fenced) first, and again before each retry the pipeline makes.
    /// </summary>
    private async Task<PartnerAnswer> SendAsync(Run run, string partner, CancellationToken cancellationToken)
    {
        // The claim recorded the first send's intent with the payout: use it once, if it is this partner's and fresh.
        var recordedAt = run.TakeClaimIntent(partner) is { } claimed && time.GetUtcNow() - claimed.At < FreshIntent
            ? claimed.At
            : await RecordIntentAsync(run, partner, cancellationToken);
        var first = true;
        var answer = await calls.DisburseAsync(partners.Get(partner), DisbursementOrder.For(run.Payout), run.Attempts, cancellationToken,
            async _ =>
            {
                // The intent just recorded covers the first attempt only if it is fresh (no pause,
                // no queueing since): otherwise, and for every retry, record a new one.
                if (first && time.GetUtcNow() - recordedAt < FreshIntent)
                {
                    first = false;
                    return;
                }

                first = false;
                await RecordIntentOnceAsync(run, partner);
            });
        return answer;
    }

    /// <summary>How long a recorded intent may precede its send: longer means this instance was paused or starved.</summary>
    private TimeSpan FreshIntent => recovery.Value.LeaseTtl / 3;

    /// <summary>Records the intent, retrying while Redis is away (never sending before it is recorded); returns when.</summary>
    private Task<DateTimeOffset> RecordIntentAsync(Run run, string partner, CancellationToken cancellationToken) =>
        WithSaveRetryAsync(run.Payout.Id, "intent", () => RecordIntentOnceAsync(run, partner, wrap: false), cancellationToken);

    /// <summary>
    /// One write through the <see cref="PayoutPipelines.Save"/> pipeline: retried while the state store
    /// is unavailable, until <paramref name="cancellationToken"/> ends the wait (a cancellation, never the store's error).
    /// </summary>
    private async Task<T> WithSaveRetryAsync<T>(string payoutId, string what, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        // The common case first, with no pipeline around it: one write that succeeds. Only a failed
        // one (or none at all once cancelled) goes on to the retrying pipeline.
        try
        {
            return await write();
        }
        catch (Exception ex) when (ex.IsStateStoreFailure() && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Cancelled while the state store was unavailable.", ex, cancellationToken);
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            // Redis is away: retry with backoff below.
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PayoutPipelines.Subject, new PayoutPipelines.SaveSubject(payoutId, what));
        try
        {
            return await _saveRetry.ExecuteAsync(static (_, write) => new ValueTask<T>(write()), context, write);
        }
        catch (Exception ex) when (ex.IsStateStoreFailure() && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Cancelled while the state store was unavailable.", ex, cancellationToken);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// One fenced intent write. Refused (fenced, final, Redis away, or a write so slow that the
    /// lease may have lapsed meanwhile) means: send nothing and stop driving the payout.
    /// </summary>
    private async Task<DateTimeOffset> RecordIntentOnceAsync(Run run, string partner, bool wrap = true)
    {
        var intent = new SendIntent(partner, time.GetUtcNow(), run.Fence);
        var started = time.GetTimestamp();
        IntentResult result;
        try
        {
            result = await store.RecordIntentAsync(run.Payout, run.Fingerprint, intent, run.Intents);
        }
        catch (Exception ex) when (wrap && ex.IsStateStoreFailure())
        {
            throw new SendRefusedException("The send intent could not be recorded.",
                new StopDriving("state store unavailable before a retry", run.Fence, release: false));
        }

        if (result.Outcome == IntentOutcome.Fenced)
        {
            recoveryMetrics.FencingRefused("intent");
        }

        StopDriving? stop = result.Outcome switch
        {
            IntentOutcome.Fenced => new StopDriving("fenced", result.CurrentFence, release: false),
            IntentOutcome.AlreadyFinal => new StopDriving("final", run.Fence, release: false) { Final = result.Final!.Payout },
            _ when time.GetElapsedTime(started) >= FreshIntent => new StopDriving("intent recorded too slowly", run.Fence, release: true),
            _ => null,
        };
        if (stop is null)
        {
            run.Intents.Add(intent);
            return time.GetUtcNow();
        }

        throw wrap ? new SendRefusedException("The send was refused.", stop) : stop;
    }

    /// <summary>This run may not go on (see <see cref="StopDriving"/>): log it, and hand the payout over at once when asked.</summary>
    private async Task<PayoutRecord> StopAsync(Run run, StopRun stop)
    {
        PayoutLog.Fenced(log, run.Payout.Id, run.Fence, stop.CurrentFence, stop.Reason);
        if (stop.Release)
        {
            try
            {
                await store.RescheduleAsync(run.Payout.Id, time.GetUtcNow(), run.Fence);
                await leases.ReleaseAsync(run.Payout.Id, run.Fence);
            }
            catch (Exception ex) when (ex.IsStateStoreFailure())
            {
                // The lease lapses by itself.
            }
        }

        return run.Stored.Payout;
    }

    /// <summary>Still unknown after ResolveFor: the reconciler checks again later, with a backoff that grows with age.</summary>
    private async Task<PayoutRecord> HandBackAsync(Run run)
    {
        var payout = run.Payout;
        var now = time.GetUtcNow();
        var backoff = TimeSpan.FromTicks(Math.Clamp((now - payout.CreatedAt).Ticks / 10,
            recovery.Value.ScanInterval.Ticks, recovery.Value.MaxBackoff.Ticks));
        PayoutLog.StillUnresolved(log, payout.Id, payout.Partner, run.Attempts.Count, (long)backoff.TotalSeconds);
        try
        {
            if (await store.RescheduleAsync(payout.Id, now + backoff, run.Fence))
            {
                await leases.ReleaseAsync(payout.Id, run.Fence);
            }
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            // The lease lapses by itself and the payout is due already: the reconciler finds it.
        }

        return payout;
    }

    /// <summary>
    /// The instance is shutting down and the payout is still not final (its last answer is saved):
    /// leave it due now and release the lease, so another instance takes it over at once instead
    /// of waiting for the lease to lapse.
    /// </summary>
    private async Task<PayoutRecord> HandOverAsync(Run run)
    {
        var payout = run.Payout;
        PayoutLog.HandedOver(log, payout.Id, payout.Partner, run.Attempts.Count);
        recoveryMetrics.HandedOver();
        try
        {
            await store.RescheduleAsync(payout.Id, time.GetUtcNow(), run.Fence);
            await leases.ReleaseAsync(payout.Id, run.Fence);
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            // The lease lapses by itself and the payout is due already: the reconciler finds it.
        }

        return payout;
    }

    private async Task<PayoutRecord> FinishAsync(Run run, PayoutStatus status, PartnerAnswer answer, CancellationToken cancellationToken)
    {
        var current = run.Payout;
        var now = time.GetUtcNow();
        var final = current with
        {
            Status = status,
            CompletedAt = now,
            Attempts = [.. run.Attempts],
            PartnerReference = answer.PartnerReference ?? current.PartnerReference,
            UnresolvedCause = null,
            Failure = status == PayoutStatus.Failed
                ? diagnoser.Diagnose(new FailureFacts(current.Partner, answer, run.Attempts.Count,
                    (long)(now - current.CreatedAt).TotalMilliseconds, circuits.StateOf(current.Partner)))
                : null,
        };

        var hops = PartnerHops.Of(final, catalogue).Select(h => h.Field).ToList();
        var saved = await SaveAsync(run, final, cancellationToken, hops);
        if (ReferenceEquals(saved, final))
        {
            metrics.PayoutCompleted(saved);
        }

        if (saved.Status == PayoutStatus.Failed && ReferenceEquals(saved, final))
        {
            diagnoser.Record(saved);
        }
        else if (saved.Status == PayoutStatus.Succeeded && ReferenceEquals(saved, final))
        {
            PayoutLog.Succeeded(log, saved.Id, saved.Partner, saved.PartnerReference, run.Attempts.Count);
        }

        return saved;
    }

    private async Task<PayoutRecord> SaveProgressAsync(Run run, CancellationToken cancellationToken, bool force = false)
    {
        var stored = run.Stored.Payout;
        var unchanged = !force && stored.Attempts.Count == run.Attempts.Count && stored.SentAt == run.Payout.SentAt
            && stored.Partner == run.Payout.Partner;
        return unchanged ? stored : await SaveAsync(run, run.Payout with { Attempts = [.. run.Attempts] }, cancellationToken);
    }

    /// <summary>
    /// Saves with the version last read. A final record already stored wins (its status never
    /// changes). While Redis is unreachable it keeps trying, with backoff, until cancelled.
    /// </summary>
    private async Task<PayoutRecord> SaveAsync(Run run, PayoutRecord payout, CancellationToken cancellationToken,
        IReadOnlyList<string>? hopFields = null)
    {
        SaveResult result;
        using (var saving = PayoutTracing.Start(PayoutTracing.Save, payout.Id))
        {
            saving?.SetTag(PayoutTracing.StatusTag, PayoutValue.StatusWord(payout.Status));
            result = await WithSaveRetryAsync(payout.Id, payout.Status.ToString(),
                () => store.SaveAsync(payout, run.Stored.Version, run.Fingerprint, run.Fence, run.Intents, hopFields), cancellationToken);
            PayoutTracing.Finish(saving, result.Outcome.ToString());
        }

        switch (result.Outcome)
        {
            case SaveOutcome.Saved:
                run.Stored = result.Current;
                return payout;
            case SaveOutcome.AlreadyFinal:
                run.Stored = result.Current;
                return result.Current.Payout;
            case SaveOutcome.Fenced:
                recoveryMetrics.FencingRefused("save");
                throw new StopDriving("fenced", result.CurrentFence, release: false);
            default:
                // Under a valid token only another writer can have moved the version: never
                // overwrite it; stop and leave the payout to whoever wrote.
                throw new StopDriving("version conflict", result.CurrentFence, release: false);
        }
    }

    /// <summary>One execution's working state: the payout as this run knows it and the last stored version.</summary>
    private sealed class Run(StoredPayout stored, string fingerprint)
    {
        /// <summary>The fencing token this run drives the payout with.</summary>
        public long Fence { get; } = stored.Fence;
        public List<SendIntent> Intents { get; } = [.. stored.Intents];
        public StoredPayout Stored { get; set; } = stored;
        /// <summary>What the decisions know; the payout in it is the record as this run knows it.</summary>
        public PayoutState State { get; set; } = PayoutState.Of(stored, DateTimeOffset.MaxValue);
        public PayoutRecord Payout => State.Payout;
        public List<Attempt> Attempts { get; } = [.. stored.Payout.Attempts];
        public string Fingerprint { get; } = fingerprint;

        /// <summary>The intent the claim recorded for a new payout's first send (none for a payout taken over).</summary>
        private SendIntent? _claimIntent = stored.Payout.Attempts.Count == 0 && stored.Intents.Count == 1 && stored.Version == 1
            ? stored.Intents[0] : null;

        /// <summary>
        /// A failover hop: the payout leaves <paramref name="partner"/>, which did not execute it for
        /// <paramref name="cause"/>; recorded on that partner's last attempt, so the final save counts it against (or for) that partner.
        /// </summary>
        public void MarkHop(string partner, string cause)
        {
            var last = Attempts.FindLastIndex(a => a.Partner == partner);
            if (last >= 0)
            {
                Attempts[last] = Attempts[last] with { Cause = cause };
            }
        }

        /// <summary>The claim's intent, once, when it is for <paramref name="partner"/> under this run's token.</summary>
        public SendIntent? TakeClaimIntent(string partner)
        {
            var intent = _claimIntent;
            _claimIntent = null;
            return intent is { } i && i.Partner == partner && i.Token == Fence ? i : null;
        }
    }
}

/// <summary>
/// This run must stop driving the payout: another instance holds a newer fencing token, the
/// payout is final, or a send intent could not be recorded in time. No partner call, no write follows.
/// </summary>
internal sealed class StopDriving(string reason, long currentFence, bool release) : Exception(reason)
{
    public string Reason { get; } = reason;
    public long CurrentFence { get; } = currentFence;
    public bool Release { get; } = release;
    public PayoutRecord? Final { get; init; }
}

internal static partial class PayoutLog
{
    [LoggerMessage(EventId = 1031, Level = LogLevel.Error, Message = "Payout {PayoutId} of {Client} refused: the state store lost its data, the key may have been answered before; nothing recorded or sent (503 state-store-lost)")]
    public static partial void RefusedStoreLost(ILogger logger, string payoutId, string client);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Payout {PayoutId}: no Redis replica confirmed its claim in time (Redis:ClaimReplicas); not sent by this request, left to the reconciler")]
    public static partial void ClaimNotReplicated(ILogger logger, string payoutId);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Payout {PayoutId}: the claim's reply timed out; record found after it: {Found}")]
    public static partial void ClaimOutcomeUnknown(ILogger logger, string payoutId, bool found);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Payout {PayoutId}: this instance (token {Token}) stops driving it ({Reason}; current token {CurrentToken}); nothing more is sent or written by it")]
    public static partial void Fenced(ILogger logger, string payoutId, long token, long currentToken, string reason);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Payout {PayoutId} accepted for {Partner} (client {Client}, beneficiary account {AccountMasked})")]
    public static partial void Accepted(ILogger logger, string payoutId, string partner, string client, string accountMasked);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Payout {PayoutId} succeeded at {Partner}, partner reference {PartnerReference}, after {Attempts} call(s)")]
    public static partial void Succeeded(ILogger logger, string payoutId, string partner, string? partnerReference, int attempts);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Payout {PayoutId} at {Partner} is still unresolved after {Attempts} call(s); the reconciler checks again in {BackoffSeconds} s")]
    public static partial void StillUnresolved(ILogger logger, string payoutId, string partner, int attempts, long backoffSeconds);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Payout {PayoutId} at {Partner} is still unresolved after {Attempts} call(s) as this instance shuts down; handed over to another instance")]
    public static partial void HandedOver(ILogger logger, string payoutId, string partner, int attempts);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Payout {PayoutId} not executed at {Partner} ({Cause}); failing over to {NextPartner}")]
    public static partial void FailingOver(ILogger logger, string payoutId, string partner, string nextPartner, string cause);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Payout {PayoutId}: state store unavailable while saving status {Status} ({Error}); retrying")]
    public static partial void SaveRetrying(ILogger logger, string payoutId, string status, string error);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Payout {PayoutId} replayed for client {Client}: {Status}")]
    public static partial void Replayed(ILogger logger, string payoutId, string client, string status);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Payout {PayoutId} execution stopped unexpectedly; it stays processing for reconciliation")]
    public static partial void ExecutionCrashed(ILogger logger, Exception exception, string payoutId);
}
