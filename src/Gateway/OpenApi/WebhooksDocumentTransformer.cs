using System.Text.Json.Nodes;
using Gateway.Webhooks;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>
/// The document's <c>webhooks</c> (OpenAPI 3.1): the final-status event the gateway <c>POST</c>s to a
/// client's endpoint (payout-api.md, "Webhooks"), its body, its <c>Gateway-Signature</c> header and
/// what the receiver's answer means.
/// </summary>
internal sealed class WebhooksDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string EventSchema = "WebhookEvent";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[EventSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "One event per payout that becomes final. A receiver de-duplicates on `id`: it never changes between deliveries.",
            Required = new HashSet<string>(StringComparer.Ordinal) { "id", "type", "createdAt", "data" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^evt_[0-9a-z]+$", Description = "The event id, fixed for the payout's final status." },
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [(JsonNode)WebhookEvent.Succeeded, (JsonNode)WebhookEvent.Failed] },
                ["createdAt"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "When the payout became final." },
                ["data"] = new OpenApiSchemaReference("PayoutResource", document),
            },
        };

        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        document.Webhooks["payoutFinal"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Post] = new()
                {
                    OperationId = "PayoutFinalWebhook",
                    Summary = "A payout became final (payout.succeeded or payout.failed).",
                    Description = "Sent to `Webhooks:<clientName>:Url` (and each `Webhooks:<clientName>:Endpoints:<name>:Url`). "
                        + "At least once: any answer other than 2xx, or none within 10 s, is retried with growing backoff for up to 24 hours, "
                        + "then dead-lettered (GET /v1/webhooks/dead-letters, POST /v1/webhooks/dead-letters/{eventId}/redeliver).",
                    Tags = new HashSet<OpenApiTagReference> { new("Webhooks", document) },
                    Parameters =
                    [
                        new OpenApiParameter
                        {
                            Name = WebhookSignature.Header,
                            In = ParameterLocation.Header,
                            Required = true,
                            Description = "`t=<unix seconds>,v1=<lowercase hex HMAC-SHA256(Secret, \"<t>.<raw body>\")>`. Verify it over the raw body "
                                + "before parsing, in constant time, and refuse a `t` older than a few minutes.",
                            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^t=[0-9]+,v1=[0-9a-f]{64}$" },
                        },
                    ],
                    RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = new OpenApiSchemaReference(EventSchema, document) },
                        },
                    },
                    Responses = new OpenApiResponses
                    {
                        ["2XX"] = new OpenApiResponse { Description = "Received: the event is not sent again." },
                        ["default"] = new OpenApiResponse { Description = "Anything else (or no answer within 10 s): sent again later." },
                    },
                },
            },
        };
        return Task.CompletedTask;
    }
}
