using System.Text.Json.Nodes;
using Gateway.Core;
using Gateway.Payouts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>
/// The field rules of payout-api.md "Submit a payout", as <see cref="PayoutRequestReader"/> and
/// <see cref="TextRules"/> enforce them, on the request schema; the optional fields of the
/// request and of <see cref="PayoutListResource"/> (no <c>nextCursor</c> on the last page); the
/// amount, currency and id formats of <see cref="PayoutResource"/>.
/// </summary>
internal sealed class ContractSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <summary>A decimal string with at most two decimals (the reader's own pattern).</summary>
    private const string AmountPattern = "^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,2})?$";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(PayoutRequestBody))
        {
            Request(schema);
        }
        else if (type == typeof(BeneficiaryInput))
        {
            Beneficiary(schema);
        }
        else if (type == typeof(PayoutListResource))
        {
            schema.Required?.Remove("nextCursor");
            Describe(schema, "nextCursor", "Pass as cursor= for the next page; absent on the last page.");
        }
        else if (type == typeof(PayoutResource))
        {
            Resource(schema);
        }

        return Task.CompletedTask;
    }

    private static void Request(OpenApiSchema schema)
    {
        schema.Required = new HashSet<string>(["loanId", "amount", "currency", "beneficiary"], StringComparer.Ordinal);
        schema.AdditionalPropertiesAllowed = false;
        schema.AdditionalProperties = null;
        Edit(schema, "loanId", s =>
        {
            s.MinLength = 1;
            s.MaxLength = PayoutRequestReader.MaxLoanIdLength;
            s.Description = "The lender's loan id; Unicode text without control or format characters.";
        });
        Edit(schema, "amount", s =>
        {
            s.Pattern = AmountPattern;
            s.Description = "A decimal string, > 0, at most two decimals, at most Payouts:MaxAmount (1000000.00 by default).";
        });
        Edit(schema, "currency", s => s.Enum = [.. PayoutRequestReader.Currencies.Order(StringComparer.Ordinal).Select(c => (JsonNode)c)]);
        Edit(schema, "partner", s => s.Description = "Optional: a configured partner (ycb, prb, silkpay). Absent, Routing:Order decides, with failover.");
        Edit(schema, "metadata", s =>
        {
            s.MaxProperties = PayoutRequestReader.MaxMetadataEntries;
            s.Description = $"Optional: at most {PayoutRequestReader.MaxMetadataEntries} string values (keys 1–{PayoutRequestReader.MaxMetadataKeyLength} characters), echoed back.";
            if (s.AdditionalProperties is OpenApiSchema value)
            {
                value.MaxLength = PayoutRequestReader.MaxMetadataValueLength;
            }
        });
    }

    private static void Beneficiary(OpenApiSchema schema)
    {
        schema.AdditionalPropertiesAllowed = false;
        schema.AdditionalProperties = null;
        Edit(schema, "name", s =>
        {
            s.MinLength = 1;
            s.MaxLength = TextRules.MaxNameLength;
            s.Description = $"1–{TextRules.MaxNameLength} characters, not blank, at most {TextRules.MaxNameUtf8Bytes} UTF-8 bytes after NFC; no control or format characters.";
        });
        Edit(schema, "accountNumber", s =>
        {
            s.MinLength = 8;
            s.MaxLength = 34;
            s.Pattern = "^[0-9]{8,34}$";
        });
        Edit(schema, "bankCode", s =>
        {
            s.MinLength = 2;
            s.MaxLength = 11;
            s.Pattern = "^[A-Za-z0-9]{2,11}$";
        });
    }

    private static void Resource(OpenApiSchema schema)
    {
        Edit(schema, "id", s => s.Pattern = "^po_[a-z2-7]{26}$");
        Edit(schema, "amount", s => s.Pattern = "^[0-9]{1,12}\\.[0-9]{2}$");
        Edit(schema, "currency", s => s.Enum = [.. PayoutRequestReader.Currencies.Order(StringComparer.Ordinal).Select(c => (JsonNode)c)]);
    }

    private static void Describe(OpenApiSchema schema, string property, string description) =>
        Edit(schema, property, s => s.Description = description);

    private static void Edit(OpenApiSchema schema, string property, Action<OpenApiSchema> edit)
    {
        if (schema.Properties?.TryGetValue(property, out var value) == true && value is OpenApiSchema inline)
        {
            edit(inline);
        }
    }
}
