using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Partners;

namespace Gateway.Payouts;

/// <summary>A validated <c>POST /v1/payouts</c> body.</summary>
public sealed record PayoutRequest(
    string LoanId,
    decimal Amount,
    string Currency,
    Beneficiary Beneficiary,
    string? Partner,
    IReadOnlyDictionary<string, string>? Metadata);

/// <summary>
/// Reads and validates the body field by field (payout-api.md), collecting an error for every
/// bad field under its JSON path (<c>beneficiary.accountNumber</c>), so the caller can fix all
/// of them at once. Unknown fields are refused rather than silently ignored: a misspelt field
/// on a money request is a bug to surface.
/// </summary>
public static partial class PayoutRequestReader
{
    public const int MaxMetadataEntries = 20;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;
    public static readonly IReadOnlySet<string> Currencies = new HashSet<string>(StringComparer.Ordinal) { "CNY" };

    private static readonly string[] TopLevel = ["loanId", "amount", "currency", "beneficiary", "partner", "metadata"];
    private static readonly string[] BeneficiaryFields = ["name", "accountNumber", "bankCode"];

    public static (PayoutRequest? Request, Dictionary<string, string[]> Errors) Read(
        JsonElement body, decimal maxAmount, PartnerRegistry partners)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be a JSON object."];
            return (null, errors);
        }

        CheckMembers(body, TopLevel, "", errors);

        var loanId = String(body, "loanId", "loanId", errors, required: true);
        if (loanId is not null && (loanId.Length is < 1 or > 64 || loanId.Any(char.IsControl)))
        {
            errors["loanId"] = ["Must be 1–64 characters without control characters."];
        }

        var amount = Amount(String(body, "amount", "amount", errors, required: true), maxAmount, errors);

        var currency = String(body, "currency", "currency", errors, required: true);
        if (currency is not null && !Currencies.Contains(currency))
        {
            errors["currency"] = [$"Must be one of: {string.Join(", ", Currencies)}."];
        }

        var beneficiary = ReadBeneficiary(body, errors);

        var partner = String(body, "partner", "partner", errors, required: false);
        if (partner is not null && !partners.IsEnabled(partner))
        {
            errors["partner"] = [$"Unknown or unconfigured partner '{partner}'. Leave it out to let routing decide."];
        }

        var metadata = ReadMetadata(body, errors);

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new PayoutRequest(loanId!, amount!.Value, currency!, beneficiary!, partner, metadata), errors);
    }

    private static Beneficiary? ReadBeneficiary(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("beneficiary", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            errors["beneficiary"] = ["Required."];
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors["beneficiary"] = ["Must be an object with name, accountNumber and bankCode."];
            return null;
        }

        CheckMembers(element, BeneficiaryFields, "beneficiary.", errors);
        var name = String(element, "name", "beneficiary.name", errors, required: true);
        if (name is not null && (new StringInfo(name).LengthInTextElements is < 1 or > 64 || string.IsNullOrWhiteSpace(name) || name.Any(char.IsControl)))
        {
            errors["beneficiary.name"] = ["Must be 1–64 characters."];
        }

        var account = String(element, "accountNumber", "beneficiary.accountNumber", errors, required: true);
        if (account is not null && !AccountNumberPattern().IsMatch(account))
        {
            errors["beneficiary.accountNumber"] = ["Must be 8–34 digits."];
        }

        var bankCode = String(element, "bankCode", "beneficiary.bankCode", errors, required: true);
        if (bankCode is not null && !BankCodePattern().IsMatch(bankCode))
        {
            errors["beneficiary.bankCode"] = ["Must be 2–11 letters or digits."];
        }

        return name is null || account is null || bankCode is null ? null : new Beneficiary(name, account, bankCode);
    }

    private static Dictionary<string, string>? ReadMetadata(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("metadata", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors["metadata"] = ["Must be an object of string values."];
            return null;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                errors[$"metadata.{property.Name}"] = ["Must be a string."];
            }
            else if (property.Name.Length is 0 or > MaxMetadataKeyLength || property.Value.GetString()!.Length > MaxMetadataValueLength)
            {
                errors[$"metadata.{property.Name}"] = [$"Keys are 1–{MaxMetadataKeyLength} characters, values at most {MaxMetadataValueLength}."];
            }
            else if (!metadata.TryAdd(property.Name, property.Value.GetString()!))
            {
                errors[$"metadata.{property.Name}"] = ["Appears more than once."];
            }
        }

        if (metadata.Count > MaxMetadataEntries)
        {
            errors["metadata"] = [$"At most {MaxMetadataEntries} entries."];
        }

        return metadata;
    }

    private static decimal? Amount(string? text, decimal maxAmount, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (!AmountPattern().IsMatch(text)
            || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            errors["amount"] = ["Must be a decimal string with at most two decimals, such as \"5000.00\"."];
            return null;
        }

        if (amount <= 0 || amount > maxAmount)
        {
            errors["amount"] = [$"Must be greater than 0 and at most {Money.Format(maxAmount)}."];
            return null;
        }

        return amount;
    }

    private static string? String(JsonElement parent, string name, string path, Dictionary<string, string[]> errors, bool required)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[path] = ["Required."];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[path] = ["Must be a string."];
            return null;
        }

        return value.GetString();
    }

    private static void CheckMembers(JsonElement element, string[] allowed, string prefix, Dictionary<string, string[]> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                errors[prefix + property.Name] = ["Unknown field."];
            }
            else if (!seen.Add(property.Name))
            {
                errors[prefix + property.Name] = ["Appears more than once."];
            }
        }
    }

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$")]
    private static partial Regex AmountPattern();

    [GeneratedRegex("^[0-9]{8,34}$")]
    private static partial Regex AccountNumberPattern();

    [GeneratedRegex("^[A-Za-z0-9]{2,11}$")]
    private static partial Regex BankCodePattern();
}
