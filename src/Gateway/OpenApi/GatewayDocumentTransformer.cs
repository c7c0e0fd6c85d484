using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>
/// The document's title and the <c>X-Api-Key</c> scheme. No <c>servers</c>: the document is the
/// same wherever it is served (the committed copy equals it), and clients use its own origin.
/// </summary>
internal sealed class GatewayDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "ApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Loan disbursement gateway",
            Version = "v1",
            Description = "Submits loan disbursements to partner banks at most once, drives each to a final status and diagnoses every failure. "
                + "Errors are RFC 9457 application/problem+json with a stable `type` URI.",
        };
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "A client key (Auth:ApiKeys:<clientName>) for /v1/payouts, an on-call key (Auth:OpsKeys:<name>) for /v1/diagnostics, an operator key (Auth:OperatorKeys:<name>) for /v1/state-store.",
        };
        SortResponses(document);
        return Task.CompletedTask;
    }

    /// <summary>Each operation's answers by status code, whichever transformer added them.</summary>
    private static void SortResponses(OpenApiDocument document)
    {
        foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            if (operation.Responses is { Count: > 1 } responses)
            {
                var sorted = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
                responses.Clear();
                foreach (var pair in sorted)
                {
                    responses[pair.Key] = pair.Value;
                }
            }
        }
    }
}
