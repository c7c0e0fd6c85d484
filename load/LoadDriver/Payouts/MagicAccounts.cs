using System.Globalization;

namespace LoadDriver.Payouts;

/// <summary>
/// The simulators' magic account numbers the planner uses (tools/Simulators/*/…Behaviours.cs: a
/// 6299… number is selected by its last four digits, per partner), each with the outcome it
/// gives. The slow and drop numbers are the same at all three partners.
/// </summary>
public static class MagicAccounts
{
    public const string Slow = "629900000000000001";
    public const string Drop = "629900000000000002";

    /// <summary>
    /// ycb 4001 余额不足 (INSUFFICIENT_FUNDS: ycb's own funding, a failover cause in causes.json,
    /// nothing executed); at prb and silkpay an ordinary number, so the payout is paid by whichever
    /// of them it reaches. (1005, BANK_NOT_SUPPORTED, was used first: silkpay's magic 1005 is its
    /// fifth failure code, so a payout failing over past prb failed there.)
    /// </summary>
    public const string Failover = "629900000000004001";

    /// <summary>The cause ycb gives <see cref="Failover"/>: the payout leaves ycb with it.</summary>
    public const string FailoverCause = "INSUFFICIENT_FUNDS";

    /// <summary>Magic rejections per partner (the four digits) and the cause the gateway must diagnose.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(string Digits, string Cause)>> Rejections { get; } =
        new Dictionary<string, IReadOnlyList<(string, string)>>(StringComparer.Ordinal)
        {
            // ycb retCodes 1003 冻结, 1004 户名不符, 2001 风控, 3001 地区受限 (ycb-codes.json).
            [PartnerNames.Ycb] = [("1003", "ACCOUNT_FROZEN"), ("1004", "ACCOUNT_NAME_MISMATCH"), ("2001", "RISK_DECLINED"), ("3001", "REGION_RESTRICTED")],
            // prb RJCT AC06, BE01 (ISO 20022), prtry RSKD, REGN (prb-codes.json).
            [PartnerNames.Prb] = [("0202", "ACCOUNT_FROZEN"), ("0205", "ACCOUNT_NAME_MISMATCH"), ("0101", "RISK_DECLINED"), ("0108", "REGION_RESTRICTED")],
            // SilkPay failure_code account_frozen, incorrect_account_holder_name, risk_declined, region_restricted.
            [PartnerNames.SilkPay] = [("1002", "ACCOUNT_FROZEN"), ("1006", "ACCOUNT_NAME_MISMATCH"), ("1013", "RISK_DECLINED"), ("1014", "REGION_RESTRICTED")],
        };

    /// <summary>The magic number with these last four digits.</summary>
    public static string WithDigits(string digits) => "62990000000000" + digits;

    /// <summary>A fresh ordinary number (no simulator magic), from <paramref name="random"/>.</summary>
    public static string Ordinary(Random random) =>
        "6222" + random.NextInt64(100_000_000_000_000, 999_999_999_999_999).ToString(CultureInfo.InvariantCulture);
}
