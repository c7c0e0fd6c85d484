using Gateway.Diagnosis;
using Gateway.Hosting;
using Gateway.Ops;
using Gateway.Partners;
using Gateway.Recovery;
using Gateway.Routing;
using Microsoft.Extensions.Options;

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
    TimeProvider time,
    IOptions<PayoutsOptions> options,
    IOptions<RecoveryOptions> recovery,
    ILogger<PayoutExecutor> log)
{
    /// <param name="draining">
    /// Cancelled when the instance shuts down: the step in progress (a partner call and the save of
    /// its answer) completes, then a payout still not final is handed over (<see cref="HandOverAsync"/>).
    /// </param>
    /// <param name="cancellationToken">Cancels even a partner call in flight: only when the shutdown timeout is nearly spent.</param>
    public async Task<PayoutRecord> ExecuteAsync(StoredPayout stored, string fingerprint, ExecutionStart start,
        CancellationToken draining, CancellationToken cancellationToken)
    {
        using var scope = log.BeginScope(new Dictionary<string, object> { ["PayoutId"] = stored.Payout.Id });
        var run = new Run(stored, fingerprint);
        leases.Hold(stored.Payout.Id, run.Fence);
        try
        {
            return await DriveAsync(run, start, draining, cancellationToken);
        }
        catch (StopDriving stop)
        {
            return await StopAsync(run, stop);
        }
        catch (SendRefusedException refused) when (refused.InnerException is StopDriving stop)
        {
            return await StopAsync(run, stop);
        }
        finally
        {
            leases.Forget(stored.Payout.Id, run.Fence);
        }
    }

    private async Task<PayoutRecord> DriveAsync(Run run, ExecutionStart start, CancellationToken draining, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, draining);
        var deadline = time.GetUtcNow() + options.Value.ResolveFor;
        PartnerAnswer answer;
        if (start == ExecutionStart.Inquire)
        {
            if (await RecoverAsync(run, deadline, cancellationToken) is not { } recovered)
            {
                return await HandBackAsync(run);
            }

            answer = recovered;
        }
        else
        {
            var partner = run.Payout.Routed ? router.NextHealthy([]) : run.Payout.Partner;
            if (partner is null)
            {
                return await FinishAsync(run, PayoutStatus.Failed, NoRoute, cancellationToken);
            }

            answer = await SendAsync(run, partner, cancellationToken);
        }

        var interval = TimeSpan.FromMilliseconds(200);
        var inquiries = 0;
        while (true)
        {
            var payout = run.Payout;
            switch (answer.Outcome)
            {
                case PartnerOutcome.Succeeded or PartnerOutcome.Processing when IsAnotherPayment(payout, answer):
                    return await FinishAsync(run, PayoutStatus.Failed, answer with { Cause = Causes.DuplicatePayout }, cancellationToken);
                case PartnerOutcome.Succeeded:
                    return await FinishAsync(run, PayoutStatus.Succeeded, answer, cancellationToken);
                case PartnerOutcome.NotExecuted:
                    if (await FailOverAsync(run, answer, cancellationToken) is { } next)
                    {
                        answer = await SendAsync(run, next, cancellationToken);
                        continue;
                    }

                    return await FinishAsync(run, PayoutStatus.Failed, answer, cancellationToken);
                case PartnerOutcome.NotFound when GraceElapsed(payout):
                    if (payout.SentAt is null)
                    {
                        // Taken over before any send was recorded (the owner died around the
                        // call): the partner has never seen it, so send it now. The partner
                        // de-duplicates on the payout id, so even a send we cannot see is safe.
                        answer = await SendAsync(run, payout.Partner, cancellationToken);
                        continue;
                    }

                    if (payout.UnresolvedCause is { } cause)
                    {
                        // The partner never received it, past its visibility guarantee: only now
                        // may the unknown outcome be diagnosed, with the cause the send showed.
                        var sent = run.LastSent;
                        answer = new PartnerAnswer
                        {
                            Outcome = PartnerOutcome.NotExecuted,
                            Label = sent?.Label ?? "not_received",
                            Cause = cause,
                            PartnerCode = sent?.PartnerCode ?? answer.PartnerCode,
                            PartnerMessage = sent?.PartnerMessage ?? answer.PartnerMessage,
                            HttpStatus = sent?.HttpStatus ?? answer.HttpStatus,
                        };
                        continue;
                    }

                    break;
            }

            payout = await SaveProgressAsync(run, cancellationToken);
            if (payout.IsFinal)
            {
                return payout;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return await HandBackAsync(run);
            }

            if (draining.IsCancellationRequested)
            {
                return await HandOverAsync(run);
            }

            var graceLeft = partners.OptionsOf(payout.Partner).InquiryGrace - (time.GetUtcNow() - (payout.SentAt ?? DateTimeOffset.MinValue));
            try
            {
                // A wait between inquiries is no partner call: shutdown ends it at once.
                await Task.Delay(NextWait(answer, inquiries, interval, graceLeft), time, waiting.Token);
            }
            catch (OperationCanceledException) when (draining.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return await HandOverAsync(run);
            }

            if (inquiries++ > 0)
            {
                interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, options.Value.MaxInquiryInterval.Ticks));
            }

            var inquiry = await calls.InquireAsync(partners.Client(payout.Partner), payout.Id, run.Attempts, cancellationToken);
            // An inquiry that could not be read tells nothing: keep what we knew and ask again.
            answer = inquiry.Outcome == PartnerOutcome.Unknown ? answer : inquiry;
        }
    }

    private static readonly PartnerAnswer NoRoute = new()
    {
        Outcome = PartnerOutcome.NotExecuted, Label = "no_route", Cause = Causes.NoRoute,
    };

    /// <summary>
    /// Sends the disbursement to <paramref name="partner"/> and records that it was sent. The send
    /// intent is recorded (fenced) first, and again before each retry the pipeline makes.
    /// </summary>
    private async Task<PartnerAnswer> SendAsync(Run run, string partner, CancellationToken cancellationToken)
    {
        run.Payout = run.Payout with { Partner = partner };
        var recordedAt = await RecordIntentAsync(run, partner, cancellationToken);
        var first = true;
        var answer = await calls.DisburseAsync(partners.Client(partner), DisbursementOrder.For(run.Payout), run.Attempts, cancellationToken,
            async _ =>
            {
                // The intent just recorded covers the first attempt only if it is fresh (no pause,
                // no queueing since): otherwise, and for every retry, record a new one.
                if (first && time.GetElapsedTime(recordedAt) < FreshIntent)
                {
                    first = false;
                    return;
                }

                first = false;
                await RecordIntentOnceAsync(run, partner);
            });
        run.LastSent = answer;
        run.Payout = run.Payout with
        {
            SentAt = time.GetUtcNow(),
            UnresolvedCause = answer.Outcome == PartnerOutcome.Unknown ? answer.Cause ?? Causes.PartnerTimeout : null,
        };
        return answer;
    }

    /// <summary>How long a recorded intent may precede its send: longer means this instance was paused or starved.</summary>
    private TimeSpan FreshIntent => recovery.Value.LeaseTtl / 3;

    /// <summary>Records the intent, retrying while Redis is away (never sending before it is recorded); returns when (timestamp).</summary>
    private async Task<long> RecordIntentAsync(Run run, string partner, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return await RecordIntentOnceAsync(run, partner, wrap: false);
            }
            catch (Exception ex) when (ex.IsStateStoreFailure())
            {
                PayoutLog.SaveRetrying(log, run.Payout.Id, "intent", ex.GetType().Name);
                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    /// <summary>
    /// One fenced intent write. Refused (fenced, final, Redis away, or a write so slow that the
    /// lease may have lapsed meanwhile) means: send nothing and stop driving the payout.
    /// </summary>
    private async Task<long> RecordIntentOnceAsync(Run run, string partner, bool wrap = true)
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
            return time.GetTimestamp();
        }

        throw wrap ? new SendRefusedException("The send was refused.", stop) : stop;
    }

    /// <summary>
    /// Recovery: inquires every partner that may have heard of the payout. One that executed it (or
    /// holds it processing) is adopted; otherwise, once each has proved it did not execute, the
    /// answer of the latest one drives what follows (send there, fail over, or fail). Null when it
    /// stays unresolved past <paramref name="deadline"/>.
    /// </summary>
    private async Task<PartnerAnswer?> RecoverAsync(Run run, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var payout = run.Payout;
        var heardSince = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal)
        {
            [payout.Partner] = payout.SentAt ?? payout.CreatedAt,
        };
        foreach (var intent in run.Intents)
        {
            heardSince[intent.Partner] = heardSince.TryGetValue(intent.Partner, out var at) && at > intent.At ? at : intent.At;
        }

        var latest = run.Intents.Count > 0 ? run.Intents[^1].Partner : payout.Partner;
        PartnerAnswer? latestAnswer = null;
        foreach (var (partner, since) in heardSince.OrderBy(p => p.Key == latest ? 1 : 0))
        {
            if (!partners.IsEnabled(partner))
            {
                // A partner no longer configured cannot be asked: it has not proved anything.
                return null;
            }

            var answer = await ProveAsync(run, partner, since, deadline, cancellationToken);
            if (answer is null)
            {
                return null;
            }

            if (answer.Outcome is PartnerOutcome.Succeeded or PartnerOutcome.Processing)
            {
                if (partner != payout.Partner)
                {
                    run.Payout = payout with { Partner = partner, SentAt = since, UnresolvedCause = null };
                }

                return answer;
            }

            if (partner == latest)
            {
                latestAnswer = answer;
            }
        }

        if (latest != payout.Partner)
        {
            // The owner died between recording the intent and saving the choice: nothing executed.
            run.Payout = payout with { Partner = latest, SentAt = null, UnresolvedCause = null };
        }

        return latestAnswer;
    }

    /// <summary>Inquires <paramref name="partner"/> until it shows an execution or proves none (null past the deadline).</summary>
    private async Task<PartnerAnswer?> ProveAsync(Run run, string partner, DateTimeOffset since, DateTimeOffset deadline,
        CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            var answer = await calls.InquireAsync(partners.Client(partner), run.Payout.Id, run.Attempts, cancellationToken);
            var graceLeft = partners.OptionsOf(partner).InquiryGrace - (time.GetUtcNow() - since);
            switch (answer.Outcome)
            {
                case PartnerOutcome.Succeeded or PartnerOutcome.Processing or PartnerOutcome.NotExecuted:
                    return answer;
                case PartnerOutcome.NotFound when graceLeft <= TimeSpan.Zero:
                    return answer;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(answer.Outcome == PartnerOutcome.NotFound && graceLeft > TimeSpan.Zero ? graceLeft : interval, time, cancellationToken);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, options.Value.MaxInquiryInterval.Ticks));
        }
    }

    /// <summary>This run may not go on (see <see cref="StopDriving"/>): log it, and hand the payout over at once when asked.</summary>
    private async Task<PayoutRecord> StopAsync(Run run, StopDriving stop)
    {
        if (stop.Final is { } final)
        {
            return final;
        }

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

    /// <summary>
    /// The next partner for a routed payout that this one definitely did not execute, when the
    /// cause allows it (causes.json <c>failover</c>); the hop is saved before the next send.
    /// </summary>
    private async Task<string?> FailOverAsync(Run run, PartnerAnswer answer, CancellationToken cancellationToken)
    {
        var payout = run.Payout;
        if (!payout.Routed || answer.Cause is not { } cause || !catalogue.Contains(cause) || !catalogue[cause].Failover)
        {
            return null;
        }

        var tried = run.Attempts.Select(a => a.Partner).Concat(run.Intents.Select(i => i.Partner)).Append(payout.Partner)
            .ToHashSet(StringComparer.Ordinal);
        if (router.NextHealthy(tried) is not { } next)
        {
            return null;
        }

        PayoutLog.FailingOver(log, payout.Id, payout.Partner, next, cause);
        run.Payout = payout with { Partner = next, SentAt = null, UnresolvedCause = null };
        var saved = await SaveProgressAsync(run, cancellationToken, force: true);
        return saved.IsFinal ? null : next;
    }

    /// <summary>The partner's record under our reference is another payment: never adopt it.</summary>
    private static bool IsAnotherPayment(PayoutRecord payout, PartnerAnswer answer) =>
        (answer.RecordedAmount is { } amount && amount != payout.Amount)
        || (answer.RecordedAccount is { Length: > 0 } account && account != payout.Beneficiary.AccountNumber);

    private bool GraceElapsed(PayoutRecord payout) =>
        payout.SentAt is not { } sentAt || time.GetUtcNow() - sentAt >= partners.OptionsOf(payout.Partner).InquiryGrace;

    /// <summary>
    /// An unknown or duplicate answer is inquired at once; "processing" and failed inquiries back
    /// off; "not found" waits out the partner's visibility grace before it is believed.
    /// </summary>
    private static TimeSpan NextWait(PartnerAnswer answer, int inquiries, TimeSpan interval, TimeSpan graceLeft) => answer.Outcome switch
    {
        PartnerOutcome.NotFound => graceLeft > TimeSpan.Zero ? graceLeft : interval,
        PartnerOutcome.Unknown or PartnerOutcome.Duplicate when inquiries == 0 => TimeSpan.Zero,
        _ => interval,
    };

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

        var saved = await SaveAsync(run, final, cancellationToken);
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
    private async Task<PayoutRecord> SaveAsync(Run run, PayoutRecord payout, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                var result = await store.SaveAsync(payout, run.Stored.Version, run.Fingerprint, run.Fence, run.Intents);
                switch (result.Outcome)
                {
                    case SaveOutcome.Saved:
                        run.Stored = result.Current;
                        return payout;
                    case SaveOutcome.AlreadyFinal:
                        run.Stored = result.Current;
                        return result.Current.Payout;
                    case SaveOutcome.Fenced:
                        throw new StopDriving("fenced", result.CurrentFence, release: false);
                    default:
                        // Under a valid token only another writer can have moved the version: never
                        // overwrite it; stop and leave the payout to whoever wrote.
                        throw new StopDriving("version conflict", result.CurrentFence, release: false);
                }
            }
            catch (Exception ex) when (ex.IsStateStoreFailure())
            {
                PayoutLog.SaveRetrying(log, payout.Id, payout.Status.ToString(), ex.GetType().Name);
                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    /// <summary>One execution's working state: the payout as this run knows it and the last stored version.</summary>
    private sealed class Run(StoredPayout stored, string fingerprint)
    {
        /// <summary>The fencing token this run drives the payout with.</summary>
        public long Fence { get; } = stored.Fence;
        public List<SendIntent> Intents { get; } = [.. stored.Intents];
        public StoredPayout Stored { get; set; } = stored;
        public PayoutRecord Payout { get; set; } = stored.Payout;
        public List<Attempt> Attempts { get; } = [.. stored.Payout.Attempts];
        public string Fingerprint { get; } = fingerprint;
        public PartnerAnswer? LastSent { get; set; }
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

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "List indexes trimmed: {Removed} entries past retention")]
    public static partial void IndexesTrimmed(ILogger logger, long removed);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Payout {PayoutId} not executed at {Partner} ({Cause}); failing over to {NextPartner}")]
    public static partial void FailingOver(ILogger logger, string payoutId, string partner, string nextPartner, string cause);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Payout {PayoutId}: state store unavailable while saving status {Status} ({Error}); retrying")]
    public static partial void SaveRetrying(ILogger logger, string payoutId, string status, string error);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Payout {PayoutId} replayed for client {Client}: {Status}")]
    public static partial void Replayed(ILogger logger, string payoutId, string client, string status);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Payout {PayoutId} execution stopped unexpectedly; it stays processing for reconciliation")]
    public static partial void ExecutionCrashed(ILogger logger, Exception exception, string payoutId);
}
