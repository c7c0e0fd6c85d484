namespace Sandbox;

/// <summary>
/// The demo payouts: ordinary successes, each kind of failure a lending platform meets, the
/// ambiguous answers the gateway must not mistake for failures, and a duplicate submission.
/// Behaviour is chosen by the simulator's magic account numbers (6299…, last four digits).
/// </summary>
internal static class DemoBatch
{
    /// <param name="Partner">The partner the payout names; null lets Routing:Order decide (with failover).</param>
    public sealed record Item(string Key, string LoanId, string Amount, string Name, string Account, string Story, string? Partner = "ycb");

    public static IReadOnlyList<Item> Items(string run) =>
    [
        new($"{run}-001", "LN-2026-000101", "5000.00", "张三", "6222020200112233445", "ordinary payout"),
        new($"{run}-002", "LN-2026-000102", "12800.50", "李四", "6217000010002345678", "ordinary payout"),
        new($"{run}-003", "LN-2026-000103", "300.00", "王五", "629900000000001003", "account frozen at the receiving bank"),
        new($"{run}-004", "LN-2026-000104", "8800.00", "赵六", "629900000000001004", "holder name does not match"),
        new($"{run}-005", "LN-2026-000105", "20000.00", "钱七", "629900000000002001", "partner risk control declines"),
        new($"{run}-006", "LN-2026-000106", "1500.00", "孙八", "629900000000002003", "partner's daily quota used up"),
        new($"{run}-007", "LN-2026-000107", "950000.00", "周九", "629900000000004001", "platform settlement account short of funds"),
        new($"{run}-008", "LN-2026-000108", "2600.00", "吴十", "629900000000003001", "borrower region restricted"),
        new($"{run}-009", "LN-2026-000109", "4100.00", "郑一", "629900000000000001", "bank executes, then answers too late"),
        new($"{run}-010", "LN-2026-000110", "700.00", "冯二", "629900000000009001", "bank busy once, retried with the same reference"),
        new($"{run}-011", "LN-2026-000111", "3300.00", "陈三", "629900000000000003", "accepted as processing, settles later"),
        new($"{run}-012", "LN-2026-000112", "610.00", "褚四", "629900000000009999", "bank system error, never received"),
        new($"{run}-013", "LN-2026-000113", "1200.00", "卫五", "629900000000000002", "bank executes, connection drops"),
        new($"{run}-014", "LN-2026-000114", "2200.00", "蒋六", "629900000000009998", "routed: ycb in maintenance, fails over to prb", Partner: null),
        new($"{run}-015", "LN-2026-000115", "999.99", "沈七", "6228480402564890018", "routed: first partner ycb, ordinary", Partner: null),
        new($"{run}-016", "LN-2026-000116", "4500.00", "韩八", "629900000000001002", "silkpay: account frozen", Partner: "silkpay"),
        new($"{run}-017", "LN-2026-000117", "6600.00", "杨九", "629900000000000006", "silkpay executes, then answers 500", Partner: "silkpay"),
        new($"{run}-018", "LN-2026-000118", "0.01", "朱十", "6217000010009876543", "silkpay: one fen, exact minor units", Partner: "silkpay"),
        new($"{run}-019", "LN-2026-000119", "7300.00", "秦一", "6230580000123456789", "prb: ordinary ISO 20022 transfer", Partner: "prb"),
        new($"{run}-020", "LN-2026-000120", "1800.00", "尤二", "629900000000000202", "prb: RJCT AC06 (blocked account)", Partner: "prb"),
        new($"{run}-021", "LN-2026-000121", "2500.00", "许三", "629900000000000101", "prb: RJCT prtry RSKD (risk control)", Partner: "prb"),
        new($"{run}-022", "LN-2026-000122", "3900.00", "何四", "629900000000000001", "prb executes, answers too late", Partner: "prb"),
    ];
}
