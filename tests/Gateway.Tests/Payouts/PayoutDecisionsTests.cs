using Gateway.Diagnosis;
using Gateway.Partners;
using Gateway.Payouts;
using Microsoft.Extensions.Time.Testing;
using static Gateway.Tests.Payouts.DecisionFixtures;

namespace Gateway.Tests.Payouts;

/// <summary>
/// <see cref="PayoutDecisions.Decide"/> over every answer kind × attempt history (no intent, an
/// intent at one partner, intents at two) × lease state (held, fenced, draining). Pure: no Redis, no
/// partner, time from a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class PayoutDecisionsTests
{
    private readonly FakeTimeProvider _clock = new(Created);
    private readonly DecisionContext _ctx = Context();

    private DateTimeOffset Now => _clock.GetUtcNow();

    private Decision Decide(PayoutState state, PayoutEvent happened, DecisionContext? ctx = null) =>
        PayoutDecisions.Decide(state, happened, Now, ctx ?? _ctx);

    /// <summary>A routed payout sent to ycb a moment ago (intent at one partner), in the driving phase.</summary>
    private PayoutState SentToYcb(PartnerAnswer answer, bool routed = true)
    {
        var started = Decide(State(Payout(routed: routed)), new Started(ExecutionStart.Send));
        var send = Assert.IsType<Send>(started.Step);
        var state = started.State with { Intents = [Intent(send.Partner, TimeSpan.Zero)] };
        return Decide(state, new Sent(send.Partner, answer)).State;
    }

    // ---- start -------------------------------------------------------------------------------

    [Fact]
    public void Start_RoutedPayout_SendsToFirstHealthyPartner()
    {
        var decision = Decide(State(Payout()), new Started(ExecutionStart.Send), Context("prb", "silkpay"));

        Assert.Equal(new Send("prb"), decision.Step);
        Assert.Equal("prb", decision.State.Payout.Partner);
    }

    [Fact]
    public void Start_NamedPayout_SendsToItsPartnerEvenWhenNotHealthy()
    {
        var decision = Decide(State(Payout("silkpay", routed: false)), new Started(ExecutionStart.Send), Context("ycb"));

        Assert.Equal(new Send("silkpay"), decision.Step);
    }

    [Fact]
    public void Start_RoutedPayoutNoHealthyPartner_FailsNoRoute()
    {
        var ctx = Context() with { Healthy = [] };

        var finish = Assert.IsType<Finish>(Decide(State(Payout()), new Started(ExecutionStart.Send), ctx).Step);

        Assert.Equal(PayoutStatus.Failed, finish.Status);
        Assert.Equal(Causes.NoRoute, finish.Answer.Cause);
    }

    // ---- answers to a send (intent at one partner) ---------------------------------------------

    [Fact]
    public void Sent_Succeeded_FinishesSucceeded()
    {
        var decision = Decide(State(Payout()) with { Phase = DrivePhase.Driving }, new Sent("ycb", Succeeded));

        Assert.Equal(new Finish(PayoutStatus.Succeeded, Succeeded), decision.Step);
    }

    [Fact]
    public void Sent_Processing_SavesAndRecordsWhenSent()
    {
        var decision = Decide(State(Payout()) with { Phase = DrivePhase.Driving }, new Sent("ycb", Processing));

        Assert.IsType<Save>(decision.Step);
        Assert.Equal(Now, decision.State.Payout.SentAt);
        Assert.Null(decision.State.Payout.UnresolvedCause);
    }

    [Fact]
    public void Saved_AfterProcessing_WaitsTheFirstIntervalDrainably()
    {
        var state = SentToYcb(Processing);

        var decision = Decide(state, new Saved(state.Payout));

        Assert.Equal(new Wait(Now + DecisionContext.FirstInquiryInterval, Drainable: true), decision.Step);
    }

    [Fact]
    public void Sent_Unknown_IsNeverAFailure_KeepsItsCauseAndInquiresAtOnce()
    {
        var state = SentToYcb(TimedOut);

        Assert.Equal(Causes.PartnerTimeout, state.Payout.UnresolvedCause);
        Assert.Equal(new Wait(Now, Drainable: true), Decide(state, new Saved(state.Payout)).Step);
    }

    [Fact]
    public void Sent_Duplicate_InquiresAtOnceAndAdoptsThePartnersRecord()
    {
        var state = SentToYcb(Duplicate);
        Assert.Equal(new Wait(Now, Drainable: true), Decide(state, new Saved(state.Payout)).Step);

        var inquire = Decide(state, new Waited());
        Assert.Equal(new Inquire("ycb"), inquire.Step);

        var adopted = Decide(inquire.State, new Inquired("ycb", Succeeded, Now));
        Assert.Equal(new Finish(PayoutStatus.Succeeded, Succeeded), adopted.Step);
    }

    [Fact]
    public void Inquired_AnotherPaymentUnderOurReference_FailsDuplicatePayoutNeverAdopts()
    {
        var state = SentToYcb(Duplicate);
        var other = Succeeded with { RecordedAmount = 99m };

        var finish = Assert.IsType<Finish>(Decide(state, new Inquired("ycb", other, Now)).Step);

        Assert.Equal(PayoutStatus.Failed, finish.Status);
        Assert.Equal(Causes.DuplicatePayout, finish.Answer.Cause);
    }

    [Fact]
    public void Inquired_ProcessingForAnotherAccount_FailsDuplicatePayout()
    {
        var state = SentToYcb(Processing);

        var finish = Assert.IsType<Finish>(Decide(state, new Inquired("ycb", Processing with { RecordedAccount = "000" }, Now)).Step);

        Assert.Equal(Causes.DuplicatePayout, finish.Answer.Cause);
    }

    [Fact]
    public void Sent_NotExecutedFailoverCause_RoutedPayoutFailsOverToNextHealthyUntried()
    {
        var state = SentToYcb(Processing) with { Phase = DrivePhase.Driving };

        var decision = Decide(state, new Sent("ycb", Unavailable));

        Assert.Equal(new FailOver("ycb", "prb", Causes.PartnerUnavailable), decision.Step);
        Assert.Equal("prb", decision.State.Payout.Partner);
        Assert.Null(decision.State.Payout.SentAt);
        Assert.Equal(new Send("prb"), Decide(decision.State, new Saved(decision.State.Payout)).Step);
    }

    [Fact]
    public void Sent_NotExecutedFailoverCause_NamedPayoutFails()
    {
        var state = SentToYcb(Processing, routed: false);

        var decision = Decide(state, new Sent("ycb", Unavailable));

        Assert.Equal(new Finish(PayoutStatus.Failed, Unavailable), decision.Step);
    }

    [Fact]
    public void Sent_NotExecutedRiskCause_NeverFailsOver()
    {
        var state = SentToYcb(Processing);

        var decision = Decide(state, new Sent("ycb", RiskDeclined));

        Assert.Equal(new Finish(PayoutStatus.Failed, RiskDeclined), decision.Step);
    }

    [Fact]
    public void FailOver_SavedFinalMeanwhile_SettlesOnTheStoredRecord()
    {
        var failingOver = Decide(SentToYcb(Processing), new Sent("ycb", Unavailable)).State;
        var final = failingOver.Payout with { Status = PayoutStatus.Succeeded };

        Assert.Equal(new Settled(final), Decide(failingOver, new Saved(final)).Step);
    }

    // ---- intents at two partners ------------------------------------------------------------

    [Fact]
    public void NotExecutedFailoverCause_IntentsAtTwoPartners_SkipsEveryPartnerAlreadyReached()
    {
        var state = State(Payout("prb"), Intent("ycb", TimeSpan.Zero), Intent("prb", TimeSpan.FromSeconds(1))) with { Phase = DrivePhase.Driving };

        var decision = Decide(state, new Sent("prb", Unavailable));

        Assert.Equal(new FailOver("prb", "silkpay", Causes.PartnerUnavailable), decision.Step);
    }

    [Fact]
    public void NotExecutedFailoverCause_EveryHealthyPartnerReached_Fails()
    {
        var state = State(Payout("prb"), Intent("ycb", TimeSpan.Zero), Intent("prb", TimeSpan.FromSeconds(1))) with { Phase = DrivePhase.Driving };

        var decision = Decide(state, new Sent("prb", Unavailable), Context("ycb", "prb"));

        Assert.Equal(new Finish(PayoutStatus.Failed, Unavailable), decision.Step);
    }

    [Fact]
    public void NotExecutedFailoverCause_PartnerCalledInAttempts_IsNotTriedAgain()
    {
        var state = State(Payout("prb")) with { Phase = DrivePhase.Driving, Called = ["ycb"] };

        Assert.Equal(new FailOver("prb", "silkpay", Causes.PartnerUnavailable), Decide(state, new Sent("prb", Unavailable)).Step);
    }

    // ---- "not found": before and after the grace ---------------------------------------------

    [Fact]
    public void NotFound_WithinGrace_IsNotBelieved_WaitsOutTheGrace()
    {
        var state = SentToYcb(TimedOut);
        var sentAt = state.Payout.SentAt!.Value;
        _clock.Advance(TimeSpan.FromMilliseconds(500));

        var decision = Decide(state, new Inquired("ycb", NotFound, Now));
        Assert.IsType<Save>(decision.Step);

        Assert.Equal(new Wait(sentAt + Grace, Drainable: true), Decide(decision.State, new Saved(decision.State.Payout)).Step);
    }

    [Fact]
    public void NotFound_AfterGrace_UnknownSend_FailsOverWithTheSendsCause()
    {
        var state = SentToYcb(TimedOut);
        _clock.Advance(Grace);

        var decision = Decide(state, new Inquired("ycb", NotFound, Now));

        Assert.Equal(new FailOver("ycb", "prb", Causes.PartnerTimeout), decision.Step);
    }

    [Fact]
    public void NotFound_AfterGrace_UnknownSendNamedPayout_FailsWithTheSendsEvidence()
    {
        var state = SentToYcb(TimedOut, routed: false);
        _clock.Advance(Grace);

        var finish = Assert.IsType<Finish>(Decide(state, new Inquired("ycb", NotFound, Now)).Step);

        Assert.Equal(PayoutStatus.Failed, finish.Status);
        Assert.Equal(Causes.PartnerTimeout, finish.Answer.Cause);
        Assert.Equal("timeout", finish.Answer.Label);
    }

    [Fact]
    public void NotFound_AskedWithinGraceButAnsweredAfterIt_IsNotBelieved()
    {
        // Found by the ledger model: the grace is judged when the inquiry was asked, not when a slow answer arrived.
        var state = SentToYcb(TimedOut);
        var asked = Now;
        _clock.Advance(Grace * 2);

        Assert.IsType<Save>(Decide(state, new Inquired("ycb", NotFound, asked)).Step);
    }

    [Fact]
    public void NotFound_AfterGrace_NothingSentYet_SendsToTheStoredPartner()
    {
        var state = State(Payout("prb")) with { Phase = DrivePhase.Driving };

        Assert.Equal(new Send("prb"), Decide(state, new Inquired("prb", NotFound, Now)).Step);
    }

    [Fact]
    public void NotFound_AfterGrace_SendAnsweredProcessing_KeepsInquiring()
    {
        var state = SentToYcb(Processing);
        _clock.Advance(Grace * 2);

        Assert.IsType<Save>(Decide(state, new Inquired("ycb", NotFound, Now)).Step);
    }

    [Fact]
    public void Inquired_Unknown_KeepsTheAnswerItHad()
    {
        var state = SentToYcb(Processing);

        var decision = Decide(state, new Inquired("ycb", TimedOut, Now));

        Assert.IsType<Save>(decision.Step);
        Assert.Equal(Processing, decision.State.Answer);
    }

    [Fact]
    public void Inquired_UnknownAfterNotFoundWithinGrace_IsNotTakenForNotFoundPastGrace()
    {
        // Found by the ledger model: keeping a "not found" heard within the grace and reading it again
        // after the grace would fail over although no inquiry past the grace said so.
        var state = SentToYcb(TimedOut);
        var hidden = Decide(state, new Inquired("ycb", NotFound, Now)).State;
        _clock.Advance(Grace * 2);

        var decision = Decide(hidden, new Inquired("ycb", TimedOut, Now));

        Assert.IsType<Save>(decision.Step);
        Assert.Equal(PartnerOutcome.Unknown, decision.State.Answer!.Outcome);
    }

    [Fact]
    public void Waited_InquiryIntervalDoublesFromTheSecondWaitUpToTheLimit()
    {
        var state = SentToYcb(Processing);
        var intervals = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            state = Decide(state, new Waited()).State;
            intervals.Add(state.Interval);
        }

        Assert.Equal(new double[] { 0.2, 0.4, 0.8, 1.6, 3.2, 5, 5, 5 }, intervals.Select(t => t.TotalSeconds).ToArray());
    }

    // ---- recovery (taken over: Inquire start) ------------------------------------------------

    [Fact]
    public void Recovery_NoIntent_InquiresTheStoredPartner()
    {
        Assert.Equal(new Inquire("ycb"), Decide(State(Payout()), new Started(ExecutionStart.Inquire)).Step);
    }

    [Fact]
    public void Recovery_IntentsAtTwoPartners_InquiresEveryOneLatestLast()
    {
        var state = State(Payout("ycb", sentAt: Created), Intent("ycb", TimeSpan.Zero), Intent("prb", TimeSpan.FromSeconds(1)));
        _clock.Advance(TimeSpan.FromSeconds(5));

        var first = Decide(state, new Started(ExecutionStart.Inquire));
        Assert.Equal(new Inquire("ycb"), first.Step);

        var second = Decide(first.State, new Inquired("ycb", NotFound, Now));
        Assert.Equal(new Inquire("prb"), second.Step);
    }

    [Fact]
    public void Recovery_EarlierPartnerExecuted_AdoptsItAndNeverSends()
    {
        var state = State(Payout("prb"), Intent("ycb", TimeSpan.Zero), Intent("prb", TimeSpan.FromSeconds(1)));
        _clock.Advance(TimeSpan.FromSeconds(5));

        var first = Decide(state, new Started(ExecutionStart.Inquire));
        Assert.Equal(new Inquire("ycb"), first.Step);
        var adopted = Decide(first.State, new Inquired("ycb", Succeeded, Now));

        Assert.Equal(new Finish(PayoutStatus.Succeeded, Succeeded), adopted.Step);
        Assert.Equal("ycb", adopted.State.Payout.Partner);
    }

    [Fact]
    public void Recovery_OtherPartnerExecuted_AdoptsThatPartner()
    {
        // Stored partner ycb; the owner recorded an intent at prb and died before saving the hop.
        var state = State(Payout("ycb", sentAt: Created, unresolved: Causes.PartnerTimeout),
            Intent("ycb", TimeSpan.Zero), Intent("prb", TimeSpan.FromSeconds(3)));
        _clock.Advance(TimeSpan.FromSeconds(10));

        var first = Decide(state, new Started(ExecutionStart.Inquire));
        Assert.Equal(new Inquire("ycb"), first.Step);
        var second = Decide(first.State, new Inquired("ycb", Unavailable, Now));
        Assert.Equal(new Inquire("prb"), second.Step);

        var adopted = Decide(second.State, new Inquired("prb", Processing, Now));

        Assert.IsType<Save>(adopted.Step);
        Assert.Equal("prb", adopted.State.Payout.Partner);
        Assert.Equal(Created + TimeSpan.FromSeconds(3), adopted.State.Payout.SentAt);
        Assert.Null(adopted.State.Payout.UnresolvedCause);
    }

    [Fact]
    public void Recovery_AdoptedProcessingBeforeAnySaveRecordedTheSend_LaterNotFoundWithinGraceOfTheIntent_DoesNotSend()
    {
        // Found by the ledger model: the owner sent (intent recorded) and lost the payout before saving
        // SentAt; a "not found" within the intent's grace must not trigger a send that could fail it.
        var state = State(Payout("ycb"), Intent("ycb", TimeSpan.Zero));
        var first = Decide(state, new Started(ExecutionStart.Inquire));
        var adopted = Decide(first.State, new Inquired("ycb", Processing, Now));
        var waiting = Decide(adopted.State, new Saved(adopted.State.Payout));
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        var inquiring = Decide(waiting.State, new Waited());

        var decision = Decide(inquiring.State, new Inquired("ycb", NotFound, Now));

        Assert.IsType<Save>(decision.Step);
        Assert.Equal(new Wait(Created + Grace, Drainable: true), Decide(decision.State, new Saved(decision.State.Payout)).Step);
    }

    [Fact]
    public void Recovery_NotFoundWithinGraceOfTheLatestIntent_WaitsAndDoesNotSend()
    {
        var state = State(Payout("ycb"), Intent("ycb", TimeSpan.FromSeconds(1)));
        _clock.Advance(TimeSpan.FromSeconds(1.5));

        var first = Decide(state, new Started(ExecutionStart.Inquire));
        var decision = Decide(first.State, new Inquired("ycb", NotFound, Now));

        Assert.Equal(new Wait(Created + TimeSpan.FromSeconds(1) + Grace, Drainable: false), decision.Step);
        Assert.Equal(new Inquire("ycb"), Decide(decision.State, new Waited()).Step);
    }

    [Fact]
    public void Recovery_EveryPartnerProvedNotFound_SendsToTheLatestIntentsPartner()
    {
        var state = State(Payout("ycb", sentAt: Created, unresolved: null), Intent("ycb", TimeSpan.Zero), Intent("prb", TimeSpan.FromSeconds(1)));
        _clock.Advance(TimeSpan.FromSeconds(10));

        var first = Decide(state, new Started(ExecutionStart.Inquire));
        var second = Decide(first.State, new Inquired("ycb", NotFound, Now));
        var third = Decide(second.State, new Inquired("prb", NotFound, Now));

        Assert.Equal(new Send("prb"), third.Step);
    }

    [Fact]
    public void Recovery_FailoverSavedButNeverSent_EveryPartnerProvedNothing_SendsToTheChosenPartner()
    {
        // The owner saved the failover to prb (ycb refused with a failover cause) and died before
        // recording an intent at prb: prb cannot have it, ycb proves it refused; prb gets it now.
        var state = State(Payout("prb"), Intent("ycb", TimeSpan.Zero));
        _clock.Advance(TimeSpan.FromSeconds(10));

        var first = Decide(state, new Started(ExecutionStart.Inquire));
        Assert.Equal(new Inquire("prb"), first.Step);
        var second = Decide(first.State, new Inquired("prb", NotFound, Now));
        Assert.Equal(new Inquire("ycb"), second.Step);
        var third = Decide(second.State, new Inquired("ycb", Unavailable, Now));

        Assert.Equal(new Send("prb"), third.Step);
        Assert.Equal("prb", third.State.Payout.Partner);
    }

    [Fact]
    public void Recovery_LatestNotExecutedFailoverCause_FailsOverPastEveryReachedPartner()
    {
        var state = State(Payout("prb", sentAt: Created + TimeSpan.FromSeconds(1)), Intent("ycb", TimeSpan.Zero), Intent("prb", TimeSpan.FromSeconds(1)));
        _clock.Advance(TimeSpan.FromSeconds(10));

        var first = Decide(state, new Started(ExecutionStart.Inquire));
        var second = Decide(first.State, new Inquired("ycb", NotFound, Now));
        var third = Decide(second.State, new Inquired("prb", Unavailable, Now));

        Assert.Equal(new FailOver("prb", "silkpay", Causes.PartnerUnavailable), third.Step);
    }

    [Fact]
    public void Recovery_UnknownAnswers_RetriesUntilTheDeadlineThenHandsBack()
    {
        var state = State(Payout("ycb", sentAt: Created), Intent("ycb", TimeSpan.Zero));
        var first = Decide(state, new Started(ExecutionStart.Inquire));

        Assert.IsType<Wait>(Decide(first.State, new Inquired("ycb", TimedOut, Now)).Step);
        _clock.Advance(ResolveFor);
        Assert.IsType<HandBack>(Decide(first.State, new Inquired("ycb", TimedOut, Now)).Step);
    }

    [Fact]
    public void Recovery_PartnerNoLongerEnabled_HandsBackWithoutSending()
    {
        var ctx = Context() with { Enabled = new HashSet<string>(StringComparer.Ordinal) { "prb", "silkpay" } };

        Assert.IsType<HandBack>(Decide(State(Payout("ycb")), new Started(ExecutionStart.Inquire), ctx).Step);
    }

    // ---- lease: fenced, draining, deadline ----------------------------------------------------

    [Fact]
    public void Refused_Fenced_StopsWithoutRelease()
    {
        var decision = Decide(SentToYcb(Processing), new Refused("fenced", 7, Release: false));

        Assert.Equal(new StopRun("fenced", 7, false), decision.Step);
        Assert.Equal(LeaseState.Fenced, decision.State.Lease);
    }

    [Fact]
    public void Refused_FinalRecord_SettlesOnIt()
    {
        var final = Payout() with { Status = PayoutStatus.Failed };

        Assert.Equal(new Settled(final), Decide(SentToYcb(Processing), new Refused("final", 3, false, final)).Step);
    }

    public static TheoryData<PayoutEvent> AnyEvent => new()
    {
        new Started(ExecutionStart.Send), new Started(ExecutionStart.Inquire), new Sent("ycb", Succeeded),
        new Sent("ycb", Unavailable), new Inquired("ycb", NotFound, Created), new Saved(Payout()), new Waited(), new Drained(),
    };

    [Theory]
    [MemberData(nameof(AnyEvent))]
    public void Fenced_AnyLaterEvent_StopsAndNeverSendsOrWrites(PayoutEvent happened)
    {
        var fenced = SentToYcb(Processing) with { Lease = LeaseState.Fenced };

        Assert.IsType<StopRun>(Decide(fenced, happened).Step);
    }

    [Fact]
    public void Draining_AfterTheAnswerIsSaved_HandsOver()
    {
        var state = SentToYcb(TimedOut) with { Lease = LeaseState.Draining };

        Assert.IsType<HandOver>(Decide(state, new Saved(state.Payout)).Step);
    }

    [Fact]
    public void Draining_WaitCut_HandsOver()
    {
        Assert.IsType<HandOver>(Decide(SentToYcb(Processing) with { Lease = LeaseState.Draining }, new Drained()).Step);
    }

    [Fact]
    public void Draining_FinalAnswer_StillFinishes()
    {
        var state = SentToYcb(TimedOut) with { Lease = LeaseState.Draining };

        Assert.Equal(new Finish(PayoutStatus.Succeeded, Succeeded), Decide(state, new Inquired("ycb", Succeeded, Now)).Step);
    }

    [Fact]
    public void Deadline_PassedWhileUnresolved_HandsBackBeforeHandingOver()
    {
        var state = SentToYcb(TimedOut) with { Lease = LeaseState.Draining };
        _clock.Advance(ResolveFor);

        Assert.IsType<HandBack>(Decide(state, new Saved(state.Payout)).Step);
    }

    [Fact]
    public void Saved_RecordFinalMeanwhile_SettlesOnIt()
    {
        var state = SentToYcb(Processing);
        var final = state.Payout with { Status = PayoutStatus.Succeeded };

        Assert.Equal(new Settled(final), Decide(state, new Saved(final)).Step);
    }

    [Fact]
    public void Decide_SameInputs_SameDecision()
    {
        var state = SentToYcb(TimedOut);

        var first = Decide(state, new Inquired("ycb", NotFound, Now));
        var second = Decide(state, new Inquired("ycb", NotFound, Now));

        Assert.Equal(first.Step, second.Step);
        Assert.Equal(first.State.Payout, second.State.Payout);
    }
}
