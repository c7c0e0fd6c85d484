using Gateway.Hosting;
using Scalar.AspNetCore;

namespace Gateway.OpenApi;

/// <summary>
/// <c>/openapi/v1.json</c>: the API as payout-api.md states it (constraints, optional fields,
/// response headers, every refusal an operation can answer, the spec's examples), built by the
/// transformers of this folder; and, in Development only, an interactive reference at
/// <c>/scalar/v1</c>. The committed <c>openapi.json</c> at the repository root is a copy a test
/// keeps equal to the served document.
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer<GatewayDocumentTransformer>();
            options.AddDocumentTransformer<WebhooksDocumentTransformer>();
            options.AddSchemaTransformer<ContractSchemaTransformer>();
            options.AddOperationTransformer<AuthResponsesTransformer>();
            options.AddOperationTransformer<SubmitPayoutTransformer>();
            options.AddOperationTransformer<ResponseHeadersTransformer>();
            options.AddOperationTransformer<ExamplesTransformer>();
            options.AddOperationTransformer<QueryParameterRulesTransformer>();
        });

    /// <summary>
    /// The Scalar API reference for people, in Development only (it needs no key; the calls it makes
    /// do), beside the document it reads: on the management listener when there is one.
    /// </summary>
    public static WebApplication MapGatewayApiReference(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(options => options.WithTitle("Loan disbursement gateway")).OnManagementListener(app.Configuration);
        }

        return app;
    }
}
