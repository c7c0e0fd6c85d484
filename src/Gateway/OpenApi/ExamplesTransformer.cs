using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>
/// An example for every path parameter (tools such as Dredd refuse a document without them) and
/// for the query parameters the spec illustrates; the spec's payout resource as the example of
/// every answer that is one payout.
/// </summary>
internal sealed class ExamplesTransformer : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, string> ParameterExamples = new(StringComparer.Ordinal)
    {
        ["id"] = OpenApiExamples.PayoutId,
        ["eventId"] = "evt_" + OpenApiExamples.PayoutId[3..],
        ["status"] = "failed",
        ["category"] = "beneficiary_account",
        ["cause"] = "ACCOUNT_FROZEN",
        ["partner"] = "ycb",
        ["since"] = "2026-11-22T00:00:00Z",
        ["limit"] = "50",
        ["window"] = "1h",
    };

    private static readonly Dictionary<string, string[]> PayoutAnswers = new(StringComparer.Ordinal)
    {
        [SubmitPayoutTransformer.OperationId] = ["201", "200"],
        ["GetPayout"] = ["200"],
        ["DiagnosePayout"] = ["200"],
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.In is ParameterLocation.Path or ParameterLocation.Query
                && parameter.Example is null
                && parameter.Name is { } name
                && ParameterExamples.TryGetValue(name, out var example))
            {
                parameter.Example = parameter.Schema?.Type is { } type && type.HasFlag(JsonSchemaType.Integer) && int.TryParse(example, out var number)
                    ? JsonValue.Create(number)
                    : JsonValue.Create(example);
            }
        }

        if (operation.OperationId is { } id && PayoutAnswers.TryGetValue(id, out var statuses))
        {
            foreach (var status in statuses)
            {
                if (operation.Responses?.TryGetValue(status, out var response) == true
                    && response.Content?.TryGetValue("application/json", out var media) == true)
                {
                    var example = JsonNode.Parse(OpenApiExamples.FailedPayout)!;
                    if (id == "DiagnosePayout")
                    {
                        example["onCall"] = JsonNode.Parse(OpenApiExamples.OnCallAdvice);
                    }

                    media.Example = example;
                }
            }
        }

        return Task.CompletedTask;
    }
}
