using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>Adds or describes an operation's problem+json answers.</summary>
internal static class ProblemResponses
{
    public const string MediaType = "application/problem+json";
    private const string Schema = "ProblemDetails";

    /// <summary>Adds <paramref name="status"/> as a problem+json answer, or just sets its description when the endpoint already declares it.</summary>
    public static void Add(OpenApiOperation operation, OpenApiDocument? document, string status, string description)
    {
        operation.Responses ??= [];
        if (operation.Responses.TryGetValue(status, out var existing) && existing is OpenApiResponse declared)
        {
            declared.Description = description;
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [MediaType] = new() { Schema = new OpenApiSchemaReference(Schema, document) },
            },
        };
    }
}
