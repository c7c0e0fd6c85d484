using System.Globalization;

namespace Gateway.Hosting;

/// <summary>
/// <c>Management:Urls</c> (e.g. <c>http://127.0.0.1:9091</c>): when set, the gateway also
/// listens there, and <c>/metrics</c>, <c>/openapi/v1.json</c> and (in Development) the Scalar page answer only there (404 on the
/// public listener), so they can stay inside the cluster network while the API is public.
/// Unset, they are served on the public listener (restrict them at the network level).
/// Health endpoints stay on the public listener for orchestrators.
/// </summary>
public static class ManagementPort
{
    public const string UrlsKey = "Management:Urls";

    public static WebApplicationBuilder AddManagementPort(this WebApplicationBuilder builder)
    {
        var management = Urls(builder.Configuration);
        if (management.Count == 0)
        {
            return builder;
        }

        builder.WebHost.UseUrls([.. PublicUrls(builder.Configuration), .. management]);
        return builder;
    }

    /// <summary>Maps <c>/openapi/v1.json</c> and <c>/metrics</c>, on the management listener when there is one.</summary>
    public static WebApplication MapManagementEndpoints(this WebApplication app)
    {
        app.MapOpenApi().OnManagementListener(app.Configuration);
        app.MapGatewayMetrics().OnManagementListener(app.Configuration);
        return app;
    }

    /// <summary>Restricts <paramref name="endpoint"/> to the management listener when <c>Management:Urls</c> is set.</summary>
    public static TBuilder OnManagementListener<TBuilder>(this TBuilder endpoint, IConfiguration configuration)
        where TBuilder : IEndpointConventionBuilder
    {
        var ports = Urls(configuration).Select(u => $"*:{new Uri(u.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal)).Port.ToString(CultureInfo.InvariantCulture)}").ToArray();
        return ports.Length > 0 ? endpoint.RequireHost(ports) : endpoint;
    }

    private static List<string> Urls(IConfiguration configuration) =>
        [.. (configuration[UrlsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Where the public API listens: <c>ASPNETCORE_URLS</c>/<c>--urls</c>, else <c>ASPNETCORE_HTTP_PORTS</c>, else Kestrel's default.</summary>
    private static IEnumerable<string> PublicUrls(ConfigurationManager configuration)
    {
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var ports = (configuration["HTTP_PORTS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => $"http://*:{p}")
            .Concat((configuration["HTTPS_PORTS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => $"https://*:{p}"))
            .ToList();
        return ports.Count > 0 ? ports : ["http://localhost:5000"];
    }
}
