using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Simulators.Ycb;

/// <summary>A <c>POST /api/v2/disburse</c> body, read as partners.md §1 writes it.</summary>
internal sealed partial record YcbDisburseOrder(
    string ReqSeqNo,
    string PayeeAcctNo,
    string PayeeName,
    string PayeeBankCode,
    decimal Amount,
    string? Currency,
    string? Remark)
{
    public const int MaxReqSeqNoLength = 32;

    /// <summary>
    /// Reads the body. <paramref name="reqSeqNo"/> is set whenever the body names one, even when
    /// something else is wrong, so the request can still be counted against that reference.
    /// </summary>
    public static bool TryRead(byte[]? body, out YcbDisburseOrder? order, out string? reqSeqNo, out string error)
    {
        order = null;
        reqSeqNo = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body ?? []);
        }
        catch (JsonException)
        {
            error = "body is not JSON";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "body is not a JSON object";
                return false;
            }

            reqSeqNo = String(root, "reqSeqNo");
            var problems = new List<string>();
            if (string.IsNullOrEmpty(reqSeqNo) || reqSeqNo.Length > MaxReqSeqNoLength)
            {
                problems.Add($"reqSeqNo must be 1 to {MaxReqSeqNoLength} characters");
            }

            var acctNo = Required(root, "payeeAcctNo", problems);
            var name = Required(root, "payeeName", problems);
            var bankCode = Required(root, "payeeBankCode", problems);
            var amountText = String(root, "amount");
            var amount = 0m;
            if (amountText is null || !AmountPattern().IsMatch(amountText)
                || !decimal.TryParse(amountText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount)
                || amount <= 0m)
            {
                problems.Add("amount must be a positive decimal string with exactly two decimals");
            }

            var currency = String(root, "currency");
            if (currency is not null and not "CNY")
            {
                problems.Add("currency must be CNY");
            }

            if (problems.Count > 0)
            {
                error = string.Join("; ", problems);
                return false;
            }

            order = new YcbDisburseOrder(reqSeqNo!, acctNo!, name!, bankCode!, amount, currency, String(root, "remark"));
            error = "";
            return true;
        }
    }

    private static string? Required(JsonElement root, string name, List<string> problems)
    {
        var value = String(root, name);
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{name} is required");
        }

        return value;
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex AmountPattern();
}
