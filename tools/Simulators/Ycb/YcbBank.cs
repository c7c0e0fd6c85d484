using System.Globalization;

namespace Simulators.Ycb;

/// <summary>
/// The simulated bank's books: every reference it holds (with its status), the payments it
/// executed, and how many disbursement requests each reference arrived in. One lock makes the
/// de-dup check, the behaviour choice and the execution a single step, so concurrent requests
/// with one reference execute it at most once.
/// </summary>
internal sealed class YcbBank(YcbBehaviours behaviours, TimeProvider clock, TimeSpan settleAfter, TimeSpan slowDelay)
{
    /// <summary>Bank sequence numbers are dated in the bank's time zone (UTC+8).</summary>
    private static readonly TimeSpan BankOffset = TimeSpan.FromHours(8);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, YcbTransaction> _transactions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _executionCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _refusedResends = new(StringComparer.Ordinal);
    private readonly List<YcbExecution> _executions = [];
    private int _sequence;

    /// <summary>Counts a (correctly signed) disbursement request carrying the reference.</summary>
    public void CountRequest(string reqSeqNo)
    {
        lock (_gate)
        {
            _requests[reqSeqNo] = _requests.GetValueOrDefault(reqSeqNo) + 1;
        }
    }

    /// <summary>De-dup, then the behaviour of the beneficiary account decides what happens.</summary>
    public YcbDecision Disburse(YcbDisburseOrder order)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var reqSeqNo = order.ReqSeqNo;
            if (_transactions.TryGetValue(reqSeqNo, out var known))
            {
                if (known.TxnStatus is "S" or "P")
                {
                    // A bank without this de-dup would have paid it again.
                    _refusedResends[reqSeqNo] = _refusedResends.GetValueOrDefault(reqSeqNo) + 1;
                }

                return YcbDecision.Answer(YcbReply.Of(YcbCodes.Duplicate));
            }

            var behaviour = behaviours.Take(order.PayeeAcctNo, reqSeqNo);
            var delay = behaviour.Delay ?? TimeSpan.Zero;
            switch (behaviour.Mode)
            {
                case YcbMode.SlowAfterExecute:
                    return YcbDecision.Answer(Execute(order, now), behaviour.Delay ?? slowDelay);

                case YcbMode.DropAfterExecute:
                    Execute(order, now);
                    return new YcbDecision(YcbDelivery.Drop, null, delay);

                case YcbMode.Malformed:
                    Execute(order, now);
                    return new YcbDecision(YcbDelivery.Malformed, null, delay);

                case YcbMode.ServerError:
                    return new YcbDecision(YcbDelivery.ServerError, null, delay);

                case YcbMode.SlowWithoutExecuting:
                    return YcbDecision.Answer(YcbReply.Of(YcbCodes.SystemError), behaviour.Delay ?? slowDelay);

                case YcbMode.MalformedWithoutExecuting:
                    return new YcbDecision(YcbDelivery.Malformed, null, delay);

                case YcbMode.ExecuteThenUnknown:
                    Execute(order, now);
                    return YcbDecision.Answer(YcbReply.Of(behaviour.RetCode ?? YcbCodes.SystemError), delay);

                case YcbMode.ProcessingThenSettle:
                    _transactions[reqSeqNo] = new YcbTransaction(
                        order, "P", YcbCodes.Success, SettleAt: now + settleAfter, SettleRetCode: behaviour.SettleRetCode);
                    _pending.Add(reqSeqNo);
                    return YcbDecision.Answer(YcbReply.Processing(reqSeqNo), delay);

                default:
                    return YcbDecision.Answer(Normal(order, behaviour.RetCode, now), delay);
            }
        }
    }

    /// <summary>The bank's record of a reference (after settling what is due), or 1404.</summary>
    public YcbReply Inquire(string reqSeqNo)
    {
        lock (_gate)
        {
            SettleDue();
            return _transactions.TryGetValue(reqSeqNo, out var transaction)
                ? transaction.Reply()
                : YcbReply.Of(YcbCodes.NotFound);
        }
    }

    public IReadOnlyList<YcbExecution> Executions()
    {
        lock (_gate)
        {
            SettleDue();

            // A lazily settled payment is booked at its settlement time, which may precede later lines.
            return [.. _executions.OrderBy(e => e.At)];
        }
    }

    public int ExecutionCount(string reqSeqNo)
    {
        lock (_gate)
        {
            SettleDue();
            return _executionCounts.GetValueOrDefault(reqSeqNo);
        }
    }

    /// <summary>
    /// Per reference, the disbursement requests refused as duplicates (9002) while the bank held it
    /// as executed or processing: sends a partner without this de-dup would have executed again.
    /// </summary>
    public IReadOnlyDictionary<string, int> RefusedResends()
    {
        lock (_gate)
        {
            return new Dictionary<string, int>(_refusedResends, StringComparer.Ordinal);
        }
    }

    public int RequestCount(string reqSeqNo)
    {
        lock (_gate)
        {
            return _requests.GetValueOrDefault(reqSeqNo);
        }
    }

    /// <summary>Normal mode: execute on 0000, keep a rejection as F, answer anything else as is.</summary>
    private YcbReply Normal(YcbDisburseOrder order, string? retCode, DateTimeOffset now)
    {
        if (YcbCodes.IsSuccess(retCode))
        {
            return Execute(order, now);
        }

        if (YcbCodes.IsRejection(retCode!))
        {
            _transactions[order.ReqSeqNo] = new YcbTransaction(order, "F", retCode!);
            return YcbReply.Failed(order.ReqSeqNo, retCode!);
        }

        // 9001, 9998, 9003, 9999, unlisted codes: nothing executed and the reference is not kept.
        return YcbReply.Of(retCode!);
    }

    /// <summary>Moves the money: one ledger line, the reference kept as S.</summary>
    private YcbReply Execute(YcbDisburseOrder order, DateTimeOffset at)
    {
        var bankSeqNo = string.Create(
            CultureInfo.InvariantCulture, $"YCB{at.ToOffset(BankOffset):yyyyMMdd}{++_sequence:D6}");
        _executions.Add(new YcbExecution(
            order.ReqSeqNo, order.PayeeAcctNo, order.PayeeName, order.PayeeBankCode, order.Amount, bankSeqNo, at));
        _executionCounts[order.ReqSeqNo] = _executionCounts.GetValueOrDefault(order.ReqSeqNo) + 1;
        _transactions[order.ReqSeqNo] = new YcbTransaction(order, "S", YcbCodes.Success, bankSeqNo);
        return YcbReply.Succeeded(order.ReqSeqNo, bankSeqNo);
    }

    /// <summary>Settles every processing reference whose time has come (called under the lock).</summary>
    private void SettleDue()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var due = _pending
            .Select(reqSeqNo => _transactions[reqSeqNo])
            .Where(t => t.SettleAt <= now)
            .OrderBy(t => t.SettleAt)
            .ToList();
        foreach (var transaction in due)
        {
            var reqSeqNo = transaction.Order.ReqSeqNo;
            _pending.Remove(reqSeqNo);
            if (YcbCodes.IsSuccess(transaction.SettleRetCode))
            {
                Execute(transaction.Order, transaction.SettleAt!.Value);
            }
            else
            {
                _transactions[reqSeqNo] = transaction with { TxnStatus = "F", RetCode = transaction.SettleRetCode!, SettleAt = null };
            }
        }
    }
}
