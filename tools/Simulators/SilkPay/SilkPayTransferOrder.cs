using System.Text.Json;

namespace Simulators.SilkPay;

/// <summary>A <c>POST /v1/transfers</c> body, read as partners.md §3 writes it; <see cref="Amount"/> in fen.</summary>
internal sealed record SilkPayTransferOrder(
    long Amount,
    string Currency,
    string ClientReference,
    string AccountNumber,
    string AccountHolderName,
    string BankCode,
    string? Description)
{
    /// <summary>
    /// Reads the body. <paramref name="clientReference"/> is set whenever the body names one, even
    /// when something else is wrong, so the request can still be counted against that reference.
    /// </summary>
    public static bool TryRead(byte[]? body, out SilkPayTransferOrder? order, out string? clientReference, out string error)
    {
        order = null;
        clientReference = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body ?? []);
        }
        catch (JsonException)
        {
            error = "The body is not JSON.";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "The body is not a JSON object.";
                return false;
            }

            clientReference = String(root, "client_reference");
            var problems = new List<string>();
            if (string.IsNullOrWhiteSpace(clientReference))
            {
                problems.Add("client_reference is required");
            }

            // An integer number of fen: 5000.00 CNY is 500000, never "500000" or 5000.0.
            long amount = 0;
            if (!root.TryGetProperty("amount", out var amountElement) || amountElement.ValueKind != JsonValueKind.Number
                || !amountElement.TryGetInt64(out amount) || amount <= 0)
            {
                problems.Add("amount must be a positive integer in fen");
            }

            var currency = String(root, "currency");
            if (string.IsNullOrWhiteSpace(currency))
            {
                problems.Add("currency is required");
            }

            string? account = null, holder = null, bankCode = null;
            if (root.TryGetProperty("destination", out var destination) && destination.ValueKind == JsonValueKind.Object)
            {
                account = Required(destination, "account_number", "destination[account_number]", problems);
                holder = Required(destination, "account_holder_name", "destination[account_holder_name]", problems);
                bankCode = Required(destination, "bank_code", "destination[bank_code]", problems);
            }
            else
            {
                problems.Add("destination is required");
            }

            string? description = null;
            if (root.TryGetProperty("description", out var descriptionElement))
            {
                if (descriptionElement.ValueKind == JsonValueKind.String)
                {
                    description = descriptionElement.GetString();
                }
                else if (descriptionElement.ValueKind != JsonValueKind.Null)
                {
                    problems.Add("description must be a string");
                }
            }

            if (problems.Count > 0)
            {
                error = string.Join("; ", problems);
                return false;
            }

            order = new SilkPayTransferOrder(amount, currency!, clientReference!, account!, holder!, bankCode!, description);
            error = "";
            return true;
        }
    }

    private static string? Required(JsonElement parent, string name, string label, List<string> problems)
    {
        var value = String(parent, name);
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{label} is required");
        }

        return value;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
