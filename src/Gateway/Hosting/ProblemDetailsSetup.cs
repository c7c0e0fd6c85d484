using System.Diagnostics;

namespace Gateway.Hosting;

public static class ProblemDetailsSetup
{
    /// <summary>Problem details for every error answer, each carrying the trace id that finds its log lines.</summary>
    public static IServiceCollection AddGatewayProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var traceId = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Extensions["traceId"] = traceId;
        });
}
