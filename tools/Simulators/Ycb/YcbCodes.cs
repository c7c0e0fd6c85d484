using System.Collections.Frozen;

namespace Simulators.Ycb;

/// <summary>ycb's retCode table (partners.md §1, Codes), with the retMsg exactly as the bank sends it.</summary>
internal static class YcbCodes
{
    public const string Success = "0000";
    public const string NotFound = "1404";
    public const string Busy = "9001";
    public const string Duplicate = "9002";
    public const string BadSignature = "9003";
    public const string Maintenance = "9998";
    public const string SystemError = "9999";

    /// <summary>retMsg of a code outside the table.</summary>
    public const string UnlistedMessage = "未知错误";

    private static readonly FrozenDictionary<string, string> Messages = new Dictionary<string, string>
    {
        [Success] = "成功",
        ["1001"] = "收款账户不存在",
        ["1002"] = "收款账户已销户",
        ["1003"] = "收款账户已冻结",
        ["1004"] = "收款户名不符",
        ["1005"] = "不支持的收款行",
        [NotFound] = "交易不存在",
        ["2001"] = "风控审核未通过",
        ["2002"] = "超出借款人授信额度",
        ["2003"] = "当日放款额度已用完",
        ["2004"] = "借款人身份信息不完整",
        ["2005"] = "借款人信用评分不足",
        ["2006"] = "借款人存在逾期记录",
        ["2007"] = "借款人多头借贷超限",
        ["3001"] = "借款人所在地区受监管限制",
        ["3002"] = "已超过当日交易截止时间",
        ["4001"] = "付款账户余额不足",
        [Busy] = "系统繁忙,请稍后重试",
        [Duplicate] = "重复的请求流水号",
        [BadSignature] = "签名验证失败",
        [Maintenance] = "系统维护中",
        [SystemError] = "系统异常",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Business rejections: nothing executed, the bank keeps the reference as failed.</summary>
    private static readonly FrozenSet<string> Rejections = new[]
    {
        "1001", "1002", "1003", "1004", "1005",
        "2001", "2002", "2003", "2004", "2005", "2006", "2007",
        "3001", "3002", "4001",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Codes <c>POST /api/v2/accounts/verify</c> can answer besides 0000.</summary>
    private static readonly FrozenSet<string> VerifyCodes = new[] { "1001", "1002", "1003", "1004" }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsListed(string code) => Messages.ContainsKey(code);

    public static bool IsRejection(string code) => Rejections.Contains(code);

    public static bool IsVerifyCode(string code) => VerifyCodes.Contains(code);

    public static bool IsSuccess(string? code) => code is null or Success;

    public static string Message(string code) => Messages.GetValueOrDefault(code, UnlistedMessage);
}
