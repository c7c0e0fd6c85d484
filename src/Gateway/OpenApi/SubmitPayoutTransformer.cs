using System.Text.Json.Nodes;
using Gateway.Idempotency;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>
/// <c>POST /v1/payouts</c>: the Idempotency-Key header and the request body. The handler reads
/// the body itself (so it can answer 415/413/400 as the spec says), hence the body is described
/// here, from <see cref="PayoutRequestBody"/>, rather than by <c>Accepts&lt;T&gt;()</c>.
/// </summary>
internal sealed class SubmitPayoutTransformer : IOpenApiOperationTransformer
{
    public const string OperationId = "SubmitPayout";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId != OperationId)
        {
            return;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyKey.HeaderName,
            In = ParameterLocation.Header,
            Required = true,
            Description = "1–255 printable ASCII characters, chosen by the caller per payout; the same key with the same body replays the payout.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKey.MaxLength, Pattern = $"^[\\x20-\\x7E]{{1,{IdempotencyKey.MaxLength}}}$" },
            Example = OpenApiExamples.IdempotencyKey,
        });
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "At most 64 KiB of application/json. Unknown fields are refused.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = await context.GetOrCreateSchemaAsync(typeof(PayoutRequestBody), null, cancellationToken),
                    Example = JsonNode.Parse(OpenApiExamples.Request),
                },
            },
        };
    }
}
