using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Partners;
using Gateway.Core;

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
/// on a money request is a bug to surface. Every string and member name read must be text by
/// <see cref="TextRules"/>; one that cannot even be decoded (an escaped lone surrogate, bytes
/// that are not UTF-8) is refused the same way, never thrown.
/// </summary>
public static partial class PayoutRequestReader
{
    public const int MaxMetadataEntries = 20;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;
    public const int MaxLoanIdLength = 64;

    /// <summary>Unknown or repeated members reported per object; the rest are summed up in one entry.</summary>
    public const int MaxMemberErrors = 10;

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

        var members = Members(body, TopLevel, "", errors);

        var loanId = String(members, "loanId", "loanId", errors, required: true);
        if (loanId is not null && loanId.Length is < 1 or > MaxLoanIdLength)
        {
            errors["loanId"] = [$"Must be 1–{MaxLoanIdLength} characters."];
        }

        var amount = Amount(String(members, "amount", "amount", errors, required: true), maxAmount, errors);

        var currency = String(members, "currency", "currency", errors, required: true);
        if (currency is not null && !Currencies.Contains(currency))
        {
            errors["currency"] = [$"Must be one of: {string.Join(", ", Currencies)}."];
        }

        var beneficiary = ReadBeneficiary(members, errors);

        var partner = String(members, "partner", "partner", errors, required: false);
        if (partner is not null && !partners.IsEnabled(partner))
        {
            errors["partner"] = [$"Unknown or unconfigured partner '{partner}'. Leave it out to let routing decide."];
        }

        var metadata = ReadMetadata(members, errors);

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new PayoutRequest(loanId!, amount!.Value, currency!, beneficiary!, partner, metadata), errors);
    }

    private static Beneficiary? ReadBeneficiary(Dictionary<string, JsonElement> body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetValue("beneficiary", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            errors["beneficiary"] = ["Required."];
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors["beneficiary"] = ["Must be an object with name, accountNumber and bankCode."];
            return null;
        }

        var members = Members(element, BeneficiaryFields, "beneficiary.", errors);
        string? name = null;
        if (String(members, "name", "beneficiary.name", errors, required: true) is { } given)
        {
            (name, var problem) = TextRules.Name(given);
            if (problem is not null)
            {
                errors["beneficiary.name"] = [problem];
            }
        }

        var account = String(members, "accountNumber", "beneficiary.accountNumber", errors, required: true);
        if (account is not null && (account.Length is < 8 or > 34 || !TextRules.IsAsciiDigits(account)))
        {
            errors["beneficiary.accountNumber"] = ["Must be 8–34 digits."];
        }

        var bankCode = String(members, "bankCode", "beneficiary.bankCode", errors, required: true);
        if (bankCode is not null && (bankCode.Length is < 2 or > 11 || !TextRules.IsAsciiLetterOrDigit(bankCode)))
        {
            errors["beneficiary.bankCode"] = ["Must be 2–11 letters or digits."];
        }

        return name is null || account is null || bankCode is null ? null : new Beneficiary(name, account, bankCode);
    }

    private static Dictionary<string, string>? ReadMetadata(Dictionary<string, JsonElement> body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetValue("metadata", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors["metadata"] = ["Must be an object of string values."];
            return null;
        }

        // Counted before any key is decoded, so a huge object costs no more than a small one.
        if (element.EnumerateObject().Count() > MaxMetadataEntries)
        {
            errors["metadata"] = [$"At most {MaxMetadataEntries} entries."];
            return null;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (MemberName(property) is not { } key)
            {
                errors["metadata"] = ["Keys must be Unicode text without control or format characters."];
                continue;
            }

            var path = $"metadata.{key}";
            if (key.Length is 0 or > MaxMetadataKeyLength)
            {
                errors[path] = [$"Keys are 1–{MaxMetadataKeyLength} characters, values at most {MaxMetadataValueLength}."];
            }
            else if (property.Value.ValueKind != JsonValueKind.String)
            {
                errors[path] = ["Must be a string."];
            }
            else if (Text(property.Value, path, errors) is not { } value)
            {
                continue;
            }
            else if (value.Length > MaxMetadataValueLength)
            {
                errors[path] = [$"Keys are 1–{MaxMetadataKeyLength} characters, values at most {MaxMetadataValueLength}."];
            }
            else if (!metadata.TryAdd(key, value))
            {
                errors[path] = ["Appears more than once."];
            }
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

    private static string? String(Dictionary<string, JsonElement> parent, string name, string path, Dictionary<string, string[]> errors, bool required)
    {
        if (!parent.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
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

        return Text(value, path, errors);
    }

    /// <summary>A JSON string that is text by <see cref="TextRules"/>, else null with the error under <paramref name="path"/>.</summary>
    private static string? Text(JsonElement value, string path, Dictionary<string, string[]> errors)
    {
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // GetString cannot decode an escaped lone surrogate ("\ud800") or bytes that are not UTF-8.
            errors[path] = ["Contains an unpaired surrogate or bytes that are not UTF-8; send valid Unicode text."];
            return null;
        }

        if (TextRules.Problem(text) is { } problem)
        {
            errors[path] = [problem];
            return null;
        }

        return text;
    }

    /// <summary>A member's name when it is text by <see cref="TextRules"/>; null when it is not (never thrown).</summary>
    private static string? MemberName(JsonProperty property)
    {
        string name;
        try
        {
            name = property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        return TextRules.IsText(name) ? name : null;
    }

    /// <summary>
    /// The members of an object by name, each name decoded once (never
    /// <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>, which throws on a
    /// member name holding an escaped lone surrogate). Unknown, repeated and undecodable names
    /// are errors; after <see cref="MaxMemberErrors"/> of them the rest is not read.
    /// </summary>
    private static Dictionary<string, JsonElement> Members(JsonElement element, string[] allowed, string prefix, Dictionary<string, string[]> errors)
    {
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var where = prefix.Length == 0 ? "$" : prefix.TrimEnd('.');
        var bad = 0;
        foreach (var property in element.EnumerateObject())
        {
            var name = MemberName(property);
            if (name is not null && allowed.Contains(name, StringComparer.Ordinal) && members.TryAdd(name, property.Value))
            {
                continue;
            }

            if (++bad > MaxMemberErrors)
            {
                errors[where] = [$"More than {MaxMemberErrors} unknown, repeated or unreadable members; the rest was not read."];
                break;
            }

            if (name is null)
            {
                // A name that is not text is not echoed back: the error goes on the enclosing object.
                errors[where] = ["A member name is not Unicode text without control or format characters."];
            }
            else
            {
                errors[prefix + name] = [members.ContainsKey(name) ? "Appears more than once." : "Unknown field."];
            }
        }

        return members;
    }

    [GeneratedRegex(@"\A(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?\z")]
    private static partial Regex AmountPattern();
}
