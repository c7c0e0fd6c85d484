// Behaviours of the prb simulator, chosen by the creditor account number (cdtrAcct.id).
//
// 1. An explicit behaviour, set with PrbSimulator.SetBehaviour(account, behaviour) or
//    POST /__sim/behaviours, wins and applies to the next `Times` transfers to that account.
// 2. Magic account numbers (no setup): an account starting with 6299 (at least 8 characters)
//    is selected by its LAST FOUR digits:
//      0001 SlowAfterExecute    0002 DropAfterExecute     0003 ProcessingThenSettle (ACSC)
//      0004 Malformed           0005 ServerError once     0006 ExecuteThenServerError
//      0007 ProcessingThenSettle, then RJCT AB09          0400 FormatError (400 FF01)
//      0429 Throttle once       0503 Maintenance
//      0101-0108 RJCT with prtry RSKD CRLM QTEX KYCI CSCR OVDU MULT REGN (in that order)
//      0201 RJCT AC04  0202 RJCT AC06  0203 RJCT AM04  0204 RJCT RR04  0205 RJCT BE01  0206 RJCT AC01
//    "Once" counts per (account, endToEndId).
// 3. Every other account: Normal (executes, ACSC).
using Simulators.Common;

namespace Simulators.Prb;

/// <summary>The behaviours in force (see <see cref="BehaviourBook{TBehaviour}"/>).</summary>
internal sealed class PrbBehaviours : BehaviourBook<PrbBehaviour>
{
    public static readonly IReadOnlyList<string> ProprietaryCodes = ["RSKD", "CRLM", "QTEX", "KYCI", "CSCR", "OVDU", "MULT", "REGN"];

    private static readonly IReadOnlyList<string> IsoSamples = ["AC04", "AC06", "AM04", "RR04", "BE01", "AC01"];

    private static readonly PrbBehaviour NormalBehaviour = new();

    protected override PrbBehaviour Normal => NormalBehaviour;

    protected override int TimesOf(PrbBehaviour behaviour) => behaviour.Times;

    protected override PrbBehaviour? MagicFor(string accountNumber) => Magic(accountNumber);

    public static PrbBehaviour? Magic(string accountNumber)
    {
        if (MagicDigits(accountNumber) is not { } last4)
        {
            return null;
        }

        var n = int.Parse(last4, System.Globalization.CultureInfo.InvariantCulture);
        return last4 switch
        {
            "0001" => new PrbBehaviour(PrbMode.SlowAfterExecute),
            "0002" => new PrbBehaviour(PrbMode.DropAfterExecute),
            "0003" => new PrbBehaviour(PrbMode.ProcessingThenSettle),
            "0004" => new PrbBehaviour(PrbMode.Malformed),
            "0005" => new PrbBehaviour(PrbMode.ServerError, Times: 1),
            "0006" => new PrbBehaviour(PrbMode.ExecuteThenServerError),
            "0007" => new PrbBehaviour(PrbMode.ProcessingThenSettle, SettleCd: "AB09"),
            "0400" => new PrbBehaviour(PrbMode.FormatError),
            "0429" => new PrbBehaviour(PrbMode.Throttle, Times: 1),
            "0503" => new PrbBehaviour(PrbMode.Maintenance),
            _ when n is > 100 and <= 108 => new PrbBehaviour(Prtry: ProprietaryCodes[n - 101]),
            _ when n > 200 && n - 200 <= IsoSamples.Count => new PrbBehaviour(Cd: IsoSamples[n - 201]),
            _ => null,
        };
    }
}
