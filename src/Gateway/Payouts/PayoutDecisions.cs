using Gateway.Diagnosis;
using Gateway.Core;

namespace Gateway.Payouts;

/// <summary>
/// Every decision of the payout executor, as one pure function: (state, what happened, now,
/// context) → (next state, next step). No I/O and no clock of its own, so each rule is tested in
/// microseconds with <c>FakeTimeProvider</c> and a model of the partners' ledgers.
/// <list type="bullet">
/// <item>An unknown outcome is never a failure (failure-causes.md rule 1): it is inquired; "not
/// found" is believed only past the partner's inquiry grace, and only then is the send's cause used.</item>
/// <item>A duplicate answer is resolved by inquiry and the partner's record adopted, unless it is
/// another payment (rule 2).</item>
/// <item>A routed payout fails over only after a definite "not executed" whose cause allows it, to a
/// healthy partner not yet tried (rule 3).</item>
/// <item>Recovery inquires every partner that may have heard of the payout; one that executed it (or
/// holds it processing) is adopted; a send follows only once every one proved non-execution.</item>
/// <item>A refused (fenced) run stops; at the deadline the payout is handed back; on shutdown, handed over.</item>
/// </list>
/// </summary>
public static class PayoutDecisions
{
    private static readonly PartnerAnswer NoRoute = new()
    {
        Outcome = PartnerOutcome.NotExecuted, Label = "no_route", Cause = Causes.NoRoute,
    };

    public static Decision Decide(PayoutState state, PayoutEvent happened, DateTimeOffset now, DecisionContext ctx)
    {
        if (happened is Refused refused)
        {
            return refused.Final is { } final
                ? new(state with { Lease = LeaseState.Fenced }, new Settled(final))
                : new(state with { Lease = LeaseState.Fenced }, new StopRun(refused.Reason, refused.CurrentFence, refused.Release));
        }

        if (state.Lease == LeaseState.Fenced)
        {
            return new(state, new StopRun("fenced", state.Fence, Release: false));
        }

        return happened switch
        {
            Started { Start: ExecutionStart.Inquire } => BeginRecovery(state, ctx),
            Started => BeginSend(state, ctx),
            Sent sent => OnAnswer(AfterSend(state, sent, now), sent.Answer, now, ctx),
            Inquired inquired when state.Recovery is { } recovery => Prove(state, recovery, inquired, now, ctx),
            // An inquiry that could not be read tells nothing: keep what we knew and ask again. A
            // "not found" is never kept: believed only when an inquiry past the grace says it again.
            Inquired inquired => OnAnswer(state,
                inquired.Answer.Outcome == PartnerOutcome.Unknown && state.Answer is { Outcome: not PartnerOutcome.NotFound } known
                    ? known : inquired.Answer, inquired.AskedAt, ctx),
            Saved { Current.IsFinal: true } saved => new(state, new Settled(saved.Current)),
            Saved when state.Phase == DrivePhase.FailingOver => SendTo(state with { Phase = DrivePhase.Driving }, state.Payout.Partner),
            Saved => Poll(state, now, ctx),
            Waited when state.Recovery is { } recovery => new(state, new Inquire(recovery.Pending[0].Partner)),
            Waited => new(state with
            {
                Inquiries = state.Inquiries + 1,
                Interval = state.Inquiries > 0 ? Doubled(state.Interval, ctx) : state.Interval,
            }, new Inquire(state.Payout.Partner)),
            Drained => new(state, new HandOver()),
            _ => throw new ArgumentOutOfRangeException(nameof(happened), happened, "No decision for this event."),
        };
    }

    /// <summary>A new payout: the partner it names, else the first healthy one of the routing order.</summary>
    private static Decision BeginSend(PayoutState state, DecisionContext ctx)
    {
        var partner = state.Payout.Routed ? ctx.NextHealthy(new HashSet<string>(StringComparer.Ordinal)) : state.Payout.Partner;
        return partner is null
            ? new(state with { Phase = DrivePhase.Driving }, new Finish(PayoutStatus.Failed, NoRoute))
            : SendTo(state with { Phase = DrivePhase.Driving }, partner);
    }

    private static Decision SendTo(PayoutState state, string partner) =>
        new(state with { Payout = state.Payout with { Partner = partner } }, new Send(partner));

    /// <summary>What a send's answer leaves in the record: when it was sent, and the cause an unknown outcome would mean.</summary>
    private static PayoutState AfterSend(PayoutState state, Sent sent, DateTimeOffset now) => state with
    {
        LastSent = sent.Answer,
        Payout = state.Payout with
        {
            SentAt = now,
            UnresolvedCause = sent.Answer.Outcome == PartnerOutcome.Unknown ? sent.Answer.Cause ?? Causes.PartnerTimeout : null,
        },
    };

    /// <summary>
    /// The answer switch: finish, fail over, send, or save and keep inquiring. <paramref name="heardAt"/>
    /// is when the answer's evidence was asked for: a "not found" is judged against the grace then.
    /// </summary>
    private static Decision OnAnswer(PayoutState state, PartnerAnswer answer, DateTimeOffset heardAt, DecisionContext ctx)
    {
        var payout = state.Payout;
        state = state with { Answer = answer, Phase = DrivePhase.Driving };
        switch (answer.Outcome)
        {
            case PartnerOutcome.Succeeded or PartnerOutcome.Processing when IsAnotherPayment(payout, answer):
                return new(state, new Finish(PayoutStatus.Failed, answer with { Cause = Causes.DuplicatePayout }));
            case PartnerOutcome.Succeeded:
                return new(state, new Finish(PayoutStatus.Succeeded, answer));
            case PartnerOutcome.NotExecuted:
                if (FailoverTarget(state, answer, ctx) is { } next)
                {
                    return new(state with
                    {
                        Phase = DrivePhase.FailingOver,
                        Payout = payout with { Partner = next, SentAt = null, UnresolvedCause = null },
                    }, new FailOver(payout.Partner, next, answer.Cause!));
                }

                return new(state, new Finish(PayoutStatus.Failed, answer));
            case PartnerOutcome.NotFound when GraceElapsed(state, heardAt, ctx):
                if (payout.SentAt is null)
                {
                    // Taken over before any send was recorded (the owner died around the call): the
                    // partner has never seen it, so send it now. The partner de-duplicates on the
                    // payout id, so even a send we cannot see is safe.
                    return SendTo(state, payout.Partner);
                }

                if (payout.UnresolvedCause is { } cause)
                {
                    // The partner never received it, past its visibility guarantee: only now may the
                    // unknown outcome be diagnosed, with the cause the send showed.
                    var sent = state.LastSent;
                    return OnAnswer(state, new PartnerAnswer
                    {
                        Outcome = PartnerOutcome.NotExecuted,
                        Label = sent?.Label ?? "not_received",
                        Cause = cause,
                        PartnerCode = sent?.PartnerCode ?? answer.PartnerCode,
                        PartnerMessage = sent?.PartnerMessage ?? answer.PartnerMessage,
                        HttpStatus = sent?.HttpStatus ?? answer.HttpStatus,
                        ResolvedBy = answer with { ResolvedBy = null },
                    }, heardAt, ctx);
                }

                break;
        }

        return new(state, new Save());
    }

    /// <summary>
    /// The next partner for a routed payout that this one definitely did not execute, when the
    /// cause allows it: a healthy partner the payout has not reached yet. Null: fail here.
    /// </summary>
    private static string? FailoverTarget(PayoutState state, PartnerAnswer answer, DecisionContext ctx) =>
        state.Payout.Routed && answer.Cause is { } cause && ctx.FailoverCauses.Contains(cause) ? ctx.NextHealthy(state.Tried) : null;

    /// <summary>Progress saved and not final: hand back at the deadline, hand over when draining, else wait to inquire.</summary>
    private static Decision Poll(PayoutState state, DateTimeOffset now, DecisionContext ctx)
    {
        if (now >= state.Deadline)
        {
            return new(state, new HandBack());
        }

        if (state.Lease == LeaseState.Draining)
        {
            return new(state, new HandOver());
        }

        var payout = state.Payout;
        var graceLeft = ctx.GraceOf(payout.Partner) - (now - (HeardSince(state) ?? DateTimeOffset.MinValue));
        return new(state, new Wait(now + NextWait(state, graceLeft), Drainable: true));
    }

    /// <summary>
    /// An unknown or duplicate answer is inquired at once; "processing" and failed inquiries back
    /// off; "not found" waits out the partner's visibility grace before it is believed.
    /// </summary>
    private static TimeSpan NextWait(PayoutState state, TimeSpan graceLeft) => state.Answer?.Outcome switch
    {
        PartnerOutcome.NotFound => graceLeft > TimeSpan.Zero ? graceLeft : state.Interval,
        PartnerOutcome.Unknown or PartnerOutcome.Duplicate when state.Inquiries == 0 => TimeSpan.Zero,
        _ => state.Interval,
    };

    /// <summary>
    /// Recovery starts: every partner that may have heard of the payout (the stored one, since its
    /// send or creation, and each intent's, since its latest intent), the latest intent's partner last.
    /// </summary>
    private static Decision BeginRecovery(PayoutState state, DecisionContext ctx)
    {
        var payout = state.Payout;
        var heard = new List<Proof> { new(payout.Partner, payout.SentAt ?? payout.CreatedAt) };
        foreach (var intent in state.Intents)
        {
            var index = heard.FindIndex(p => p.Partner == intent.Partner);
            if (index < 0)
            {
                heard.Add(new Proof(intent.Partner, intent.At));
            }
            else if (intent.At >= heard[index].Since)
            {
                heard[index] = heard[index] with { Since = intent.At };
            }
        }

        var latest = state.Intents.Count > 0 ? state.Intents[^1].Partner : payout.Partner;
        var pending = heard.OrderBy(p => p.Partner == latest ? 1 : 0).ToList();
        return NextProof(state with
        {
            Phase = DrivePhase.Recovering,
            Recovery = new RecoveryProgress(pending, latest, null, DecisionContext.FirstInquiryInterval),
        }, ctx);
    }

    private static Decision NextProof(PayoutState state, DecisionContext ctx)
    {
        var partner = state.Recovery!.Pending[0].Partner;
        // A partner no longer configured cannot be asked: it has not proved anything.
        return ctx.Enabled.Contains(partner) ? new(state, new Inquire(partner)) : new(state, new HandBack());
    }

    /// <summary>
    /// One recovery inquiry answered: an execution (or processing) is adopted; a proof of
    /// non-execution moves to the next partner, and after the latest one its answer drives what
    /// follows; anything else is inquired again, until the deadline.
    /// </summary>
    private static Decision Prove(PayoutState state, RecoveryProgress recovery, Inquired inquired, DateTimeOffset now, DecisionContext ctx)
    {
        var payout = state.Payout;
        var answer = inquired.Answer;
        var proof = recovery.Pending[0];
        var graceLeft = ctx.GraceOf(proof.Partner) - (inquired.AskedAt - proof.Since);
        if (answer.Outcome is PartnerOutcome.Succeeded or PartnerOutcome.Processing)
        {
            var adopted = proof.Partner == payout.Partner
                ? payout
                : payout with { Partner = proof.Partner, SentAt = proof.Since, UnresolvedCause = null };
            return OnAnswer(state with { Payout = adopted, Recovery = null }, answer, inquired.AskedAt, ctx);
        }

        if (answer.Outcome == PartnerOutcome.NotExecuted || (answer.Outcome == PartnerOutcome.NotFound && graceLeft <= TimeSpan.Zero))
        {
            var latestAnswer = proof.Partner == recovery.Latest ? answer : recovery.LatestAnswer;
            if (recovery.Pending.Count > 1)
            {
                return NextProof(state with
                {
                    Recovery = recovery with
                    {
                        Pending = [.. recovery.Pending.Skip(1)],
                        LatestAnswer = latestAnswer,
                        Interval = DecisionContext.FirstInquiryInterval,
                    },
                }, ctx);
            }

            // Every partner proved it did not execute. When the stored partner was chosen (a failover
            // saved) but never sent to, with no intent and no call there, the owner died between saving
            // the choice and recording the intent: nothing can have reached it (intents come before
            // every send), so the payout goes on where the owner was taking it. Found by the chaos
            // suite's gateway-kill-multi: the stored partner counted as tried and was skipped.
            if (payout.Partner != recovery.Latest && payout.SentAt is null
                && !state.Called.Contains(payout.Partner) && state.Intents.All(i => i.Partner != payout.Partner))
            {
                return SendTo(state with { Recovery = null, Phase = DrivePhase.Driving }, payout.Partner);
            }

            // When the latest intent's partner is not the stored one, the owner died between
            // recording the intent and saving the choice.
            var proved = recovery.Latest == payout.Partner
                ? payout
                : payout with { Partner = recovery.Latest, SentAt = null, UnresolvedCause = null };
            return OnAnswer(state with { Payout = proved, Recovery = null }, latestAnswer!, inquired.AskedAt, ctx);
        }

        if (now >= state.Deadline)
        {
            return new(state, new HandBack());
        }

        var graceLeftNow = ctx.GraceOf(proof.Partner) - (now - proof.Since);
        var wait = answer.Outcome == PartnerOutcome.NotFound && graceLeftNow > TimeSpan.Zero ? graceLeftNow : recovery.Interval;
        return new(state with { Recovery = recovery with { Interval = Doubled(recovery.Interval, ctx) } },
            new Wait(now + wait, Drainable: false));
    }

    /// <summary>The partner's record under our reference is another payment: never adopt it.</summary>
    private static bool IsAnotherPayment(PayoutRecord payout, PartnerAnswer answer) =>
        (answer.RecordedAmount is { } amount && amount != payout.Amount)
        || (answer.RecordedAccount is { Length: > 0 } account && account != payout.Beneficiary.AccountNumber);

    /// <summary>
    /// Since when the payout's partner may have heard of it: its last send, or a later send intent
    /// for it (a send this run did not see answered: the owner died, or lost the payout, around the call).
    /// </summary>
    private static DateTimeOffset? HeardSince(PayoutState state)
    {
        var heard = state.Payout.SentAt;
        foreach (var intent in state.Intents.Where(i => i.Partner == state.Payout.Partner && (heard is null || i.At > heard)))
        {
            heard = intent.At;
        }

        return heard;
    }

    private static bool GraceElapsed(PayoutState state, DateTimeOffset now, DecisionContext ctx) =>
        HeardSince(state) is not { } since || now - since >= ctx.GraceOf(state.Payout.Partner);

    private static TimeSpan Doubled(TimeSpan interval, DecisionContext ctx) =>
        TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, ctx.MaxInquiryInterval.Ticks));
}
