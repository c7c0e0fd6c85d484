// Behaviours of the ycb simulator, chosen by the beneficiary account number
// (payeeAcctNo of POST /api/v2/disburse, acctNo of POST /api/v2/accounts/verify).
//
// 1. An explicit behaviour, set with YcbSimulator.SetBehaviour(account, behaviour) or
//    POST /__sim/behaviours, wins over everything below. It applies to the first `Times`
//    disbursement requests to that account that get past the signature check and de-dup;
//    after that the account behaves Normal. ClearBehaviours / DELETE /__sim/behaviours forgets
//    all of them (and the magic counters).
//
// 2. Magic account numbers (sandbox and manual use, no setup): an account number starting
//    with 6299 (at least 8 characters) is selected by its LAST FOUR digits:
//      0001  SlowAfterExecute       executes, answers success after SlowDelay
//      0002  DropAfterExecute       executes, closes the connection without an answer
//      0003  ProcessingThenSettle   answers P; settles S after SettleAfter
//      0004  Malformed              executes, answers a truncated JSON body
//      0005  ServerError once       HTTP 500 once per reqSeqNo, then Normal (executes)
//      0006  ExecuteThenUnknown     executes, answers 9999 without data (inquiry shows S)
//      1001-1005, 2001-2007, 3001, 3002, 4001
//            rejection with that retCode, every time; inquiry shows F with it
//      9001  busy once per reqSeqNo, then Normal (the retry with the same reqSeqNo executes)
//      9998, 9999, 9003, 9002, 1404
//            that retCode, every time, nothing executed, reference not kept (inquiry 1404)
//      0000 and anything else: Normal (executes, 0000/S)
//    e.g. 629900000000001003 → 1003 收款账户已冻结; 629900000000009001 → 9001 once, then success.
//    "Once" counts per (account, reqSeqNo), so every new payout to a magic number tells the
//    same story.
//
// 3. Every other account: Normal.
using Simulators.Common;

namespace Simulators.Ycb;

/// <summary>The behaviours in force, with their remaining uses (see <see cref="BehaviourBook{TBehaviour}"/>).</summary>
internal sealed class YcbBehaviours : BehaviourBook<YcbBehaviour>
{
    private static readonly YcbBehaviour NormalBehaviour = new();

    protected override YcbBehaviour Normal => NormalBehaviour;

    protected override int TimesOf(YcbBehaviour behaviour) => behaviour.Times;

    protected override YcbBehaviour? MagicFor(string accountNumber) => Magic(accountNumber);

    /// <summary>The magic-number behaviour of an account (see the top of this file), if any.</summary>
    public static YcbBehaviour? Magic(string accountNumber)
    {
        if (MagicDigits(accountNumber) is not { } last4)
        {
            return null;
        }

        return last4 switch
        {
            "0001" => new YcbBehaviour(YcbMode.SlowAfterExecute),
            "0002" => new YcbBehaviour(YcbMode.DropAfterExecute),
            "0003" => new YcbBehaviour(YcbMode.ProcessingThenSettle),
            "0004" => new YcbBehaviour(YcbMode.Malformed),
            "0005" => new YcbBehaviour(YcbMode.ServerError, Times: 1),
            "0006" => new YcbBehaviour(YcbMode.ExecuteThenUnknown, YcbCodes.SystemError),
            YcbCodes.Busy => new YcbBehaviour(RetCode: YcbCodes.Busy, Times: 1),
            YcbCodes.Success => null,
            _ when YcbCodes.IsListed(last4) => new YcbBehaviour(RetCode: last4),
            _ => null,
        };
    }
}
