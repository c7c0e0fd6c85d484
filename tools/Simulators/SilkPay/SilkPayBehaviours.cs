// Behaviours of the SilkPay simulator, chosen by the destination account number
// (destination.account_number of POST /v1/transfers).
//
// 1. An explicit behaviour, set with SilkPaySimulator.SetBehaviour(account, behaviour) or
//    POST /__sim/behaviours, wins over everything below. It applies to the first `Times`
//    transfer requests to that account that get past the key check and the Idempotency-Key
//    de-dup; after that the account behaves Normal. ClearBehaviours / DELETE /__sim/behaviours
//    forgets all of them (and the magic counters).
//
// 2. Magic account numbers (sandbox and manual use, no setup): an account number starting
//    with 6299 (at least 8 characters) is selected by its LAST FOUR digits:
//      0001  SlowAfterExecute         executes, answers paid after SlowDelay
//      0002  DropAfterExecute         executes, closes the connection without an answer
//      0003  ProcessingThenSettle     answers pending; settles paid after SettleAfter
//      0004  Malformed                executes, answers a truncated JSON body
//      0005  ServerError once         HTTP 500 once per Idempotency-Key (nothing executed), then Normal
//      0006  ExecuteThenServerError   executes, answers HTTP 500 api_error (inquiry shows paid)
//      0007  ProcessingThenSettle     answers in_transit; settles failed could_not_process
//      0400  Error                    HTTP 400 amount_too_large, every time
//      0402  Error                    HTTP 402 balance_insufficient, every time
//      0429  Throttle once            HTTP 429 Retry-After 1 once per key, then Normal (the retry executes)
//      0503  ServerError              HTTP 503 api_error every time, nothing executed (inquiry: empty list)
//      1001-1014                      failed with the n-th failure_code of partners.md §3
//                                     (1001 account_closed ... 1014 region_restricted)
//      anything else: Normal (executes, paid)
//    e.g. 629900000000001002 → failed account_frozen; 629900000000000429 → 429 once, then paid.
//    "Once" counts per (account, Idempotency-Key), so every new payout to a magic number tells
//    the same story.
//
// 3. Every other account: Normal.
using Simulators.Common;

namespace Simulators.SilkPay;

/// <summary>The behaviours in force, with their remaining uses (see <see cref="BehaviourBook{TBehaviour}"/>).</summary>
internal sealed class SilkPayBehaviours : BehaviourBook<SilkPayBehaviour>
{
    private static readonly SilkPayBehaviour NormalBehaviour = new();

    protected override SilkPayBehaviour Normal => NormalBehaviour;

    protected override int TimesOf(SilkPayBehaviour behaviour) => behaviour.Times;

    protected override SilkPayBehaviour? MagicFor(string accountNumber) => Magic(accountNumber);

    /// <summary>The magic-number behaviour of an account (see the top of this file), if any.</summary>
    public static SilkPayBehaviour? Magic(string accountNumber)
    {
        if (MagicDigits(accountNumber) is not { } last4)
        {
            return null;
        }

        var index = int.Parse(last4, System.Globalization.CultureInfo.InvariantCulture);
        return last4 switch
        {
            "0001" => new SilkPayBehaviour(SilkPayMode.SlowAfterExecute),
            "0002" => new SilkPayBehaviour(SilkPayMode.DropAfterExecute),
            "0003" => new SilkPayBehaviour(SilkPayMode.ProcessingThenSettle),
            "0004" => new SilkPayBehaviour(SilkPayMode.Malformed),
            "0005" => new SilkPayBehaviour(SilkPayMode.ServerError, Times: 1),
            "0006" => new SilkPayBehaviour(SilkPayMode.ExecuteThenServerError),
            "0007" => new SilkPayBehaviour(SilkPayMode.ProcessingThenSettle, FailureCode: "could_not_process", PendingStatus: SilkPayCodes.InTransit),
            "0400" => new SilkPayBehaviour(SilkPayMode.Error, HttpStatus: 400, ErrorCode: SilkPayCodes.AmountTooLarge),
            "0402" => new SilkPayBehaviour(SilkPayMode.Error, HttpStatus: 402, ErrorCode: SilkPayCodes.BalanceInsufficient),
            "0429" => new SilkPayBehaviour(SilkPayMode.Throttle, Times: 1),
            "0503" => new SilkPayBehaviour(SilkPayMode.ServerError, HttpStatus: 503),
            _ when index > 1000 && index - 1000 <= SilkPayCodes.FailureCodes.Count =>
                new SilkPayBehaviour(FailureCode: SilkPayCodes.FailureCodes[index - 1001]),
            _ => null,
        };
    }
}
