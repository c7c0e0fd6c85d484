using Gateway.Diagnosis;
using Gateway.Hosting;
using Gateway.Partners;
using Microsoft.Extensions.Options;

namespace Gateway.Payouts;

/// <summary>
/// Drives one recorded payout to a final status: one disbursement call (the pipeline retries
/// only what cannot have executed), then inquiries until the partner's answer is final.
/// An unknown outcome is never taken for a failure (failure-causes.md rule 1); a duplicate
/// answer is resolved by adopting the partner's own record (rule 2). Each step is saved
/// before the next, and saving retries while Redis is away, so nothing the partner did is lost.
/// </summary>
public sealed class PayoutExecutor(
    PartnerRegistry partners,
    PartnerCalls calls,
    PartnerCircuits circuits,
    PayoutStore store,
    Diagnoser diagnoser,
    TimeProvider time,
    IOptions<PayoutsOptions> options,
    ILogger<PayoutExecutor> log)
{
    public async Task<PayoutRecord> ExecuteAsync(StoredPayout stored, string fingerprint, CancellationToken cancellationToken)
    {
        var payout = stored.Payout;
        using var scope = log.BeginScope(new Dictionary<string, object> { ["PayoutId"] = payout.Id, ["Partner"] = payout.Partner });
        var client = partners.Client(payout.Partner);
        var attempts = new List<Attempt>(payout.Attempts);
        var progress = new Progress(stored, fingerprint);

        var answer = await calls.DisburseAsync(client, DisbursementOrder.For(payout), attempts, cancellationToken);
        var lastSend = time.GetUtcNow();
        var sent = answer;
        var grace = partners.OptionsOf(payout.Partner).InquiryGrace;
        var deadline = lastSend + options.Value.ResolveFor;
        var interval = TimeSpan.FromMilliseconds(200);
        var inquiries = 0;

        while (true)
        {
            switch (answer.Outcome)
            {
                case PartnerOutcome.Succeeded:
                    return await FinishAsync(progress, attempts, PayoutStatus.Succeeded, answer, cancellationToken);
                case PartnerOutcome.NotExecuted:
                    return await FinishAsync(progress, attempts, PayoutStatus.Failed, answer, cancellationToken);
                case PartnerOutcome.NotFound when sent.Outcome == PartnerOutcome.Unknown && time.GetUtcNow() - lastSend >= grace:
                    // The partner never received it, past its visibility guarantee: only now may
                    // the unknown outcome be diagnosed, with the cause the send itself showed.
                    return await FinishAsync(progress, attempts, PayoutStatus.Failed, sent with
                    {
                        PartnerCode = sent.PartnerCode ?? answer.PartnerCode,
                        PartnerMessage = sent.PartnerMessage ?? answer.PartnerMessage,
                    }, cancellationToken);
            }

            payout = await SaveProgressAsync(progress, attempts, cancellationToken);
            if (payout.IsFinal)
            {
                return payout;
            }

            if (time.GetUtcNow() >= deadline)
            {
                PayoutLog.StillUnresolved(log, payout.Id, payout.Partner, attempts.Count);
                return payout;
            }

            await Task.Delay(NextWait(answer, inquiries, interval, grace - (time.GetUtcNow() - lastSend)), time, cancellationToken);
            if (inquiries++ > 0)
            {
                interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, options.Value.MaxInquiryInterval.Ticks));
            }

            var inquiry = await calls.InquireAsync(client, payout.Id, attempts, cancellationToken);
            // An inquiry that could not be read tells nothing: keep what we knew and ask again.
            answer = inquiry.Outcome == PartnerOutcome.Unknown ? answer : inquiry;
        }
    }

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

    private async Task<PayoutRecord> FinishAsync(Progress progress, List<Attempt> attempts, PayoutStatus status,
        PartnerAnswer answer, CancellationToken cancellationToken)
    {
        var current = progress.Stored.Payout;
        var now = time.GetUtcNow();
        var final = current with
        {
            Status = status,
            CompletedAt = now,
            Attempts = [.. attempts],
            PartnerReference = answer.PartnerReference ?? current.PartnerReference,
            Failure = status == PayoutStatus.Failed
                ? diagnoser.Diagnose(new FailureFacts(current.Partner, answer, attempts.Count,
                    (long)(now - current.CreatedAt).TotalMilliseconds, circuits.StateOf(current.Partner)))
                : null,
        };

        var saved = await SaveAsync(progress, final, cancellationToken);
        if (saved.Status == PayoutStatus.Failed && ReferenceEquals(saved, final))
        {
            diagnoser.Record(saved);
        }
        else if (saved.Status == PayoutStatus.Succeeded && ReferenceEquals(saved, final))
        {
            PayoutLog.Succeeded(log, saved.Id, saved.Partner, saved.PartnerReference, attempts.Count);
        }

        return saved;
    }

    private Task<PayoutRecord> SaveProgressAsync(Progress progress, List<Attempt> attempts, CancellationToken cancellationToken) =>
        progress.Stored.Payout.Attempts.Count == attempts.Count
            ? Task.FromResult(progress.Stored.Payout)
            : SaveAsync(progress, progress.Stored.Payout with { Attempts = [.. attempts] }, cancellationToken);

    /// <summary>
    /// Saves with the version last read. A final record already stored wins (its status never
    /// changes). While Redis is unreachable it keeps trying, with backoff, until cancelled.
    /// </summary>
    private async Task<PayoutRecord> SaveAsync(Progress progress, PayoutRecord payout, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                var result = await store.SaveAsync(payout, progress.Stored.Version, progress.Fingerprint);
                progress.Stored = result.Current;
                switch (result.Outcome)
                {
                    case SaveOutcome.Saved:
                        return payout;
                    case SaveOutcome.AlreadyFinal:
                        return result.Current.Payout;
                    default:
                        // Another writer saved progress first; keep our fuller attempt list on top of theirs.
                        continue;
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

    private sealed class Progress(StoredPayout stored, string fingerprint)
    {
        public StoredPayout Stored { get; set; } = stored;
        public string Fingerprint { get; } = fingerprint;
    }
}

internal static partial class PayoutLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Payout {PayoutId} accepted for {Partner} (client {Client}, beneficiary account {AccountMasked})")]
    public static partial void Accepted(ILogger logger, string payoutId, string partner, string client, string accountMasked);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Payout {PayoutId} succeeded at {Partner}, partner reference {PartnerReference}, after {Attempts} call(s)")]
    public static partial void Succeeded(ILogger logger, string payoutId, string partner, string? partnerReference, int attempts);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Payout {PayoutId} at {Partner} is still unresolved after {Attempts} call(s); left processing for reconciliation")]
    public static partial void StillUnresolved(ILogger logger, string payoutId, string partner, int attempts);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Payout {PayoutId}: state store unavailable while saving status {Status} ({Error}); retrying")]
    public static partial void SaveRetrying(ILogger logger, string payoutId, string status, string error);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Payout {PayoutId} replayed for client {Client}: {Status}")]
    public static partial void Replayed(ILogger logger, string payoutId, string client, string status);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Payout {PayoutId} execution stopped unexpectedly; it stays processing for reconciliation")]
    public static partial void ExecutionCrashed(ILogger logger, Exception exception, string payoutId);
}
