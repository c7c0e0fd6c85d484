using System.Text.Json.Nodes;
using Gateway.Payouts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>
/// <c>/openapi/v1.json</c>: the API as payout-api.md states it, with the spec's own request and
/// response examples, the API key scheme and the Idempotency-Key header.
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Loan disbursement gateway",
                    Version = "v1",
                    Description = "Submits loan disbursements to partner banks at most once, drives each to a final status and diagnoses every failure.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "X-Api-Key",
                    Description = "Auth:ApiKeys:<clientName> in configuration.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference("ApiKey", context.Document)] = [],
                });
                if (operation.OperationId == "SubmitPayout")
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = "Idempotency-Key",
                        In = ParameterLocation.Header,
                        Required = true,
                        Description = "1–255 printable ASCII characters; the same key with the same body replays the payout.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
                    });
                    // The handler reads the body itself (so it can answer 415/413/400 as the spec
                    // says), hence the body is described here rather than by Accepts<T>().
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new()
                            {
                                Schema = await context.GetOrCreateSchemaAsync(typeof(PayoutRequestDocument), null, cancellationToken),
                                Example = JsonNode.Parse(Examples.Request),
                            },
                        },
                    };

                    foreach (var status in ExampleStatuses)
                    {
                        if (operation.Responses?.TryGetValue(status, out var response) == true
                            && response.Content?.TryGetValue("application/json", out var media) == true)
                        {
                            media.Example = JsonNode.Parse(Examples.FailedPayout);
                        }
                    }
                }

                if (operation.OperationId == "GetPayout"
                    && operation.Responses?.TryGetValue("200", out var ok) == true
                    && ok.Content?.TryGetValue("application/json", out var okMedia) == true)
                {
                    okMedia.Example = JsonNode.Parse(Examples.FailedPayout);
                }

            });
        });

    private static readonly string[] ExampleStatuses = ["201", "200"];

    /// <summary>The examples of payout-api.md, verbatim in content.</summary>
    internal static class Examples
    {
        public const string Request = """
            { "loanId": "LN-2026-000123",
              "amount": "5000.00",
              "currency": "CNY",
              "beneficiary": { "name": "张三", "accountNumber": "6222020200112233445", "bankCode": "ICBC" },
              "partner": "ycb",
              "metadata": { "channel": "app" } }
            """;

        public const string FailedPayout = """
            { "id": "po_01JD8X...", "loanId": "LN-2026-000123", "amount": "5000.00", "currency": "CNY",
              "beneficiary": { "name": "张*", "accountNumber": "************3445", "bankCode": "ICBC" },
              "status": "failed",
              "partner": "ycb", "partnerReference": "YCB20261122000001",
              "createdAt": "2026-11-22T08:00:00.000Z", "completedAt": "2026-11-22T08:00:00.412Z",
              "attempts": [
                { "partner": "ycb", "at": "2026-11-22T08:00:00.000Z", "elapsedMs": 3001, "outcome": "timeout" },
                { "partner": "ycb", "at": "2026-11-22T08:00:03.002Z", "elapsedMs": 38, "outcome": "inquiry", "partnerCode": "0000", "partnerStatus": "F" } ],
              "failure": {
                "category": "beneficiary_account", "cause": "ACCOUNT_FROZEN",
                "owner": "borrower", "resubmit": "resubmit_after_fix", "isoReason": "AC06",
                "summary": "ycb answered 1003 (收款账户已冻结): the beneficiary account is frozen at the receiving bank.",
                "borrowerMessage": { "zh-CN": "您的收款账户已被冻结,请联系开户行或更换收款账户后重试。",
                                     "en": "Your receiving account is frozen. Contact your bank or use another account." },
                "evidence": { "partner": "ycb", "partnerCode": "1003", "partnerMessage": "收款账户已冻结",
                              "httpStatus": 200, "attempts": 2, "elapsedMs": 3039, "circuit": "closed",
                              "traceId": "4bf92f3577b34da6a3ce929d0e0e4736" } },
              "metadata": { "channel": "app" } }
            """;
    }
}
