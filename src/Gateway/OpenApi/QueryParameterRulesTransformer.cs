using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.Payouts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>
/// What the list and diagnostics queries accept (<see cref="PayoutListQuery"/>, the diagnostics
/// handlers): the status values, the timestamp, the page sizes, the window format.
/// </summary>
internal sealed class QueryParameterRulesTransformer : IOpenApiOperationTransformer
{
    private static readonly string[] Statuses = ["processing", "succeeded", "failed"];

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        switch (operation.OperationId)
        {
            case "ListPayouts":
                Edit(operation, "status", "Only payouts of this status.", s => s.Enum = [.. Statuses.Select(v => (JsonNode)v)]);
                Edit(operation, "category", "Only failed payouts of this failure category (failure-causes.md).", null);
                Edit(operation, "cause", "Only failed payouts of this cause (failure-causes.md).", null);
                Edit(operation, "partner", "Only payouts sent to this partner.", null);
                Edit(operation, "since", "Only payouts created at or after this ISO 8601 timestamp.", s => s.Format = "date-time");
                Edit(operation, "limit", string.Create(CultureInfo.InvariantCulture, $"Page size, 1–{PayoutListQuery.MaxLimit} (default {PayoutListQuery.DefaultLimit})."),
                    s => s.Pattern = "^[0-9]{1,3}$");
                Edit(operation, "cursor", "The nextCursor of the previous page.", null);
                break;
            case "FailureDiagnostics":
                Edit(operation, "window", "A duration such as 15m, 1h or 2d, at most 7d (default 1h).", s => s.Pattern = "^[0-9]{1,5}(m|h|d)$");
                break;
            case "RecentFailedPayouts":
                Edit(operation, "limit", "How many, 1–100 (default 20).", s =>
                {
                    s.Minimum = "1";
                    s.Maximum = "100";
                });
                break;
        }

        return Task.CompletedTask;
    }

    private static void Edit(OpenApiOperation operation, string name, string description, Action<OpenApiSchema>? rule)
    {
        if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == name && p.In == ParameterLocation.Query) is not { } parameter)
        {
            return;
        }

        parameter.Description = description;
        if (rule is not null && parameter.Schema is OpenApiSchema schema)
        {
            rule(schema);
        }
    }
}
