using System.Globalization;
using Gateway.Core;

namespace Gateway.Payouts;

/// <summary>
/// The one place beneficiary data is masked, for answers and for logs: an account number keeps
/// its last four digits behind twelve stars (so its length is hidden too); a name keeps its first
/// character.
/// </summary>
public static class Masking
{
    public static string AccountNumber(string accountNumber) =>
        accountNumber.Length <= 4 ? new string('*', accountNumber.Length) : "************" + accountNumber[^4..];

    public static string Name(string name)
    {
        var info = new StringInfo(name);
        return info.LengthInTextElements <= 1
            ? "*"
            : info.SubstringByTextElements(0, 1) + new string('*', info.LengthInTextElements - 1);
    }

    public static Beneficiary Mask(Beneficiary beneficiary) =>
        beneficiary with { Name = Name(beneficiary.Name), AccountNumber = AccountNumber(beneficiary.AccountNumber) };
}
