using Gateway.Diagnosis;
using Gateway.Partners;
using Gateway.Payouts;
using static Gateway.Tests.Payouts.DecisionFixtures;

namespace Gateway.Tests.Payouts;

/// <summary>What the world does next in a generated scenario.</summary>
public enum OpKind
{
    /// <summary>A live instance (argument: which) performs its next step.</summary>
    Step,

    /// <summary>A live instance dies: its memory is lost, Redis and the partners keep what they hold.</summary>
    Crash,

    /// <summary>Another instance takes the payout over with a newer token; a live owner is now fenced (lease loss).</summary>
    TakeOver,

    /// <summary>A live instance starts shutting down.</summary>
    Drain,

    /// <summary>Time passes (argument: milliseconds).</summary>
    Advance,

    /// <summary>A partner (argument % 3) settles a payout it holds processing: executes it (even argument / 3) or rejects it.</summary>
    Settle,
}

public sealed record Op(OpKind Kind, int Arg)
{
    public override string ToString() => $"{Kind}({Arg})";
}

/// <summary>What a partner does with a disbursement.</summary>
public enum SendFate
{
    Execute,
    ExecuteAnswerLost,
    Accept,
    AcceptAnswerLost,
    RejectFailoverCause,
    RejectFinalCause,
    ConnectionRefused,
    NeverReceived,
}

/// <summary>How a partner answers an inquiry: truthfully, hiding a record still within its visibility grace, or unreadably.</summary>
public enum InquiryFate
{
    Truthful,
    HiddenWithinGrace,
    Unreadable,
}

/// <summary>A generated sequence of faults, partner behaviours, crashes, lease losses and restarts.</summary>
public sealed record Scenario(bool Routed, Op[] Ops, SendFate[] Sends, InquiryFate[] Inquiries)
{
    public override string ToString() =>
        $"Scenario(routed: {Routed}, ops: [{string.Join(", ", Ops)}], sends: [{string.Join(", ", Sends)}], inquiries: [{string.Join(", ", Inquiries)}])";
}

/// <summary>
/// A model of three partner ledgers, Redis (the payout record, send intents, the fencing token) and
/// gateway instances that drive the payout only through <see cref="PayoutDecisions.Decide"/>. Every
/// effect mirrors the executor's: a send first records a fenced intent; a save or a final write is
/// refused under a stale token; a takeover starts with the Inquire start.
/// </summary>
internal sealed class AtMostOnceModel
{
    private static readonly TimeSpan ModelResolveFor = TimeSpan.FromSeconds(20);
    private readonly Scenario _scenario;
    private readonly Dictionary<string, Ledger> _ledgers = Order.ToDictionary(p => p, p => new Ledger(), StringComparer.Ordinal);
    private readonly List<Instance> _live = [];
    private readonly List<SendIntent> _intents = [];
    private readonly DecisionContext _ctx = Context();
    private readonly List<string> _trace = [];
    private PayoutRecord _stored;
    private long _fence = 1;
    private DateTimeOffset _now = Created;
    private int _send;
    private int _inquiry;
    private bool _faultFree;

    public AtMostOnceModel(Scenario scenario)
    {
        _scenario = scenario;
        _stored = Payout(routed: scenario.Routed);
        _live.Add(new Instance(1, PayoutState.Of(new StoredPayout(_stored, "client-a", 1, 1), _now + ModelResolveFor) with { Fence = 1 },
            new Started(ExecutionStart.Send)));
    }

    public PayoutRecord Stored => _stored;

    public IEnumerable<string> Trace => _trace;

    public IReadOnlyDictionary<string, int> Executions => _ledgers.ToDictionary(l => l.Key, l => l.Value.Executions);

    /// <summary>Plays the generated operations, then a fault-free tail until the payout is final (bounded).</summary>
    public void Run(Action check)
    {
        foreach (var op in _scenario.Ops)
        {
            Apply(op);
            check();
        }

        _faultFree = true;
        foreach (var ledger in _ledgers.Values.Where(l => l.Status == LedgerStatus.Pending))
        {
            ledger.Settle(execute: true);
        }

        for (var i = 0; i < 10_000 && !_stored.IsFinal; i++)
        {
            _live.RemoveRange(0, Math.Max(0, _live.Count - 1));
            if (_live.Count == 0)
            {
                TakeOver();
            }

            StepOne(_live[0]);
            check();
        }
    }

    private void Apply(Op op)
    {
        _trace.Add($"{_now:HH:mm:ss.fff} {op}");
        switch (op.Kind)
        {
            case OpKind.Step when _live.Count > 0:
                StepOne(_live[op.Arg % _live.Count]);
                break;
            case OpKind.Crash when _live.Count > 0:
                _live.RemoveAt(op.Arg % _live.Count);
                break;
            case OpKind.TakeOver when !_stored.IsFinal:
                TakeOver();
                break;
            case OpKind.Drain when _live.Count > 0:
                _live[op.Arg % _live.Count].Draining = true;
                break;
            case OpKind.Advance:
                _now += TimeSpan.FromMilliseconds(op.Arg);
                break;
            case OpKind.Settle:
                var ledger = _ledgers[Order[op.Arg % 3]];
                if (ledger.Status == LedgerStatus.Pending)
                {
                    ledger.Settle(execute: op.Arg / 3 % 2 == 0);
                }

                break;
        }
    }

    /// <summary>The reconciler's takeover (after a crash, a lapsed lease, a hand-back or hand-over): a newer token, the Inquire start.</summary>
    private void TakeOver()
    {
        var fence = ++_fence;
        var stored = new StoredPayout(_stored, "client-a", 1, fence) { Intents = [.. _intents] };
        _live.Add(new Instance(fence, PayoutState.Of(stored, _now + ModelResolveFor), new Started(ExecutionStart.Inquire)));
        _trace.Add($"  takeover with token {fence}");
    }

    private void StepOne(Instance instance)
    {
        var observed = instance.State with
        {
            Intents = [.. instance.Intents],
            Called = [.. instance.Called],
            Lease = instance.State.Lease == LeaseState.Fenced ? LeaseState.Fenced : instance.Draining ? LeaseState.Draining : LeaseState.Held,
        };
        var decision = PayoutDecisions.Decide(observed, instance.Next, _now, _ctx);
        instance.State = decision.State;
        _trace.Add($"  token {instance.Fence}: {Describe(instance.Next)} -> {Describe(decision.Step)}");
        switch (decision.Step)
        {
            case Send send:
                instance.Next = SendTo(instance, send.Partner);
                break;
            case Inquire inquire:
                instance.Called.Add(inquire.Partner);
                instance.Next = new Inquired(inquire.Partner, InquiryAt(inquire.Partner), _now);
                break;
            case Save or FailOver:
                instance.Next = Write(instance, instance.State.Payout);
                break;
            case Wait wait when wait.Drainable && instance.Draining:
                instance.Next = new Drained();
                break;
            case Wait wait:
                _now = wait.Until > _now ? wait.Until : _now;
                instance.Next = new Waited();
                break;
            case Finish finish:
                var next = Write(instance, instance.State.Payout with
                {
                    Status = finish.Status,
                    CompletedAt = _now,
                    PartnerReference = finish.Answer.PartnerReference,
                    UnresolvedCause = null,
                });
                if (next is Refused)
                {
                    instance.Next = next;
                    break;
                }

                _live.Remove(instance);
                break;
            default:
                Assert.True(decision.Step.Ends, $"unexpected step {decision.Step}");
                _live.Remove(instance);
                break;
        }
    }

    /// <summary>The fenced write-ahead intent, then the partner hears of the payout (unless the connection is refused).</summary>
    private PayoutEvent SendTo(Instance instance, string partner)
    {
        if (instance.Fence != _fence)
        {
            return new Refused("fenced", _fence, Release: false);
        }

        if (_stored.IsFinal)
        {
            return new Refused("final", _fence, Release: false, _stored);
        }

        var intent = new SendIntent(partner, _now, instance.Fence);
        _intents.Add(intent);
        instance.Intents.Add(intent);
        instance.Called.Add(partner);
        var fate = _faultFree || _send >= _scenario.Sends.Length ? SendFate.Execute : _scenario.Sends[_send++];
        var ledger = _ledgers[partner];
        if (fate == SendFate.ConnectionRefused)
        {
            return new Sent(partner, Unavailable);
        }

        if (fate == SendFate.NeverReceived)
        {
            return new Sent(partner, TimedOut);
        }

        if (ledger.Status != LedgerStatus.None)
        {
            // The partner de-duplicates on the reference.
            return new Sent(partner, Duplicate);
        }

        ledger.ReceivedAt = _now;
        PartnerAnswer answer;
        switch (fate)
        {
            case SendFate.Execute or SendFate.ExecuteAnswerLost:
                ledger.Status = LedgerStatus.Pending;
                ledger.Settle(execute: true);
                answer = fate == SendFate.Execute ? Succeeded : TimedOut;
                break;
            case SendFate.Accept or SendFate.AcceptAnswerLost:
                ledger.Status = LedgerStatus.Pending;
                answer = fate == SendFate.Accept ? Processing : TimedOut;
                break;
            default:
                ledger.Status = LedgerStatus.Rejected;
                ledger.Cause = fate == SendFate.RejectFailoverCause ? Causes.PartnerMaintenance : "RISK_DECLINED";
                answer = Answer(PartnerOutcome.NotExecuted, ledger.Cause, "rejected");
                break;
        }

        return new Sent(partner, answer);
    }

    private PartnerAnswer InquiryAt(string partner)
    {
        var fate = _faultFree || _inquiry >= _scenario.Inquiries.Length ? InquiryFate.Truthful : _scenario.Inquiries[_inquiry++];
        var ledger = _ledgers[partner];
        if (fate == InquiryFate.Unreadable)
        {
            return TimedOut;
        }

        if (fate == InquiryFate.HiddenWithinGrace && ledger.Status != LedgerStatus.None && _now - ledger.ReceivedAt < Grace)
        {
            return NotFound;
        }

        return ledger.Status switch
        {
            LedgerStatus.None => NotFound,
            LedgerStatus.Pending => Processing,
            LedgerStatus.Executed => Succeeded,
            _ => Answer(PartnerOutcome.NotExecuted, ledger.Cause, "rejected"),
        };
    }

    /// <summary>A fenced write, as the store's script: a stale token is refused, a final record wins.</summary>
    private PayoutEvent Write(Instance instance, PayoutRecord payout)
    {
        if (instance.Fence != _fence)
        {
            return new Refused("fenced", _fence, Release: false);
        }

        if (_stored.IsFinal)
        {
            return new Saved(_stored);
        }

        _stored = payout;
        _trace.Add($"  stored: {payout.Status} at {payout.Partner}, sent {payout.SentAt:HH:mm:ss.fff}, unresolved {payout.UnresolvedCause}");
        return new Saved(payout);
    }

    private static string Describe(object happened) => happened switch
    {
        Sent sent => $"Sent({sent.Partner}: {sent.Answer.Outcome} {sent.Answer.Cause})",
        Inquired inquired => $"Inquired({inquired.Partner}: {inquired.Answer.Outcome} {inquired.Answer.Cause})",
        Saved saved => $"Saved({saved.Current.Status} at {saved.Current.Partner})",
        Refused refused => $"Refused({refused.Reason}, token {refused.CurrentFence})",
        Finish finish => $"Finish({finish.Status}: {finish.Answer.Outcome} {finish.Answer.Cause})",
        Settled settled => $"Settled({settled.Final.Status})",
        _ => happened.ToString()!.Replace(" Ends = False,", "", StringComparison.Ordinal).Replace(" Ends = True,", "", StringComparison.Ordinal),
    };

    private sealed class Instance(long fence, PayoutState state, PayoutEvent next)
    {
        public long Fence { get; } = fence;
        public PayoutState State { get; set; } = state;
        public PayoutEvent Next { get; set; } = next;
        public bool Draining { get; set; }
        public List<SendIntent> Intents { get; } = [.. state.Intents];
        public HashSet<string> Called { get; } = new(StringComparer.Ordinal);
    }
}

internal enum LedgerStatus
{
    None,
    Pending,
    Executed,
    Rejected,
}

/// <summary>One partner's ledger for the payout's reference: it de-duplicates, so it can hold one record.</summary>
internal sealed class Ledger
{
    public LedgerStatus Status { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string? Cause { get; set; }
    public int Executions { get; private set; }

    public void Settle(bool execute)
    {
        if (execute)
        {
            Status = LedgerStatus.Executed;
            Executions++;
        }
        else
        {
            Status = LedgerStatus.Rejected;
            Cause = Causes.PartnerMaintenance;
        }
    }
}
