using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>
/// Every operation behind a key: the <c>X-Api-Key</c> requirement, 401 (no or unknown key) and
/// 403 (the other kind of key: payout-api.md "Authentication and roles"), both problem+json.
/// </summary>
internal sealed class AuthResponsesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
        {
            return Task.CompletedTask;
        }

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(GatewayDocumentTransformer.ApiKeyScheme, context.Document)] = [],
        });
        ProblemResponses.Add(operation, context.Document, "401", "No X-Api-Key, or an unknown one (.../unauthorized). Nothing is stored or forwarded.");
        ProblemResponses.Add(operation, context.Document, "403", "The key's role may not call this operation (.../forbidden). Nothing is stored or forwarded.");
        return Task.CompletedTask;
    }
}
