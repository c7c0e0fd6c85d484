using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>
/// The response headers of payout-api.md: <c>Location</c> on 201, <c>Idempotent-Replayed</c> on a
/// submission's 200 (a replay), <c>Retry-After</c> on 429, 503 and a submission's 409.
/// </summary>
internal sealed class ResponseHeadersTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses is not { } responses)
        {
            return Task.CompletedTask;
        }

        foreach (var (status, header) in RetryAfter)
        {
            // A 409 carries Retry-After only for an Idempotency-Key in use; another 409 (a state conflict) is final.
            if (status != "409" || operation.OperationId == SubmitPayoutTransformer.OperationId)
            {
                AddHeader(responses, status, "Retry-After", header);
            }
        }

        AddHeader(responses, "201", "Location", new OpenApiHeader
        {
            Description = "The new payout: /v1/payouts/{id}.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
            Example = "/v1/payouts/" + OpenApiExamples.PayoutId,
        });
        if (operation.OperationId == SubmitPayoutTransformer.OperationId)
        {
            AddHeader(responses, "200", "Idempotent-Replayed", new OpenApiHeader
            {
                Description = "The same Idempotency-Key came again with the same body: this is the current payout, and nothing was sent again.",
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["true"] },
                Example = "true",
            });
        }

        return Task.CompletedTask;
    }

    private static readonly (string Status, OpenApiHeader Header)[] RetryAfter =
    [
        ("409", RetryAfterHeader(true, "Seconds until the request with this Idempotency-Key has likely finished.")),
        ("429", RetryAfterHeader(true, "Seconds until the caller may try again.")),
        ("503", RetryAfterHeader(false, "Seconds until the caller may try again, when the gateway knows (e.g. while it shuts down).")),
    ];

    private static OpenApiHeader RetryAfterHeader(bool required, string description) => new()
    {
        Description = description,
        Required = required,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
        Example = 1,
    };

    private static void AddHeader(OpenApiResponses responses, string status, string name, OpenApiHeader header)
    {
        if (responses.TryGetValue(status, out var response) && response is OpenApiResponse concrete)
        {
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers[name] = header;
        }
    }
}
