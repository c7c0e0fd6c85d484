using Gateway.Core;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Hosting;

/// <summary>
/// OpenTelemetry tracing: the gateway's payout stages (<see cref="PayoutTracing"/>), ASP.NET Core
/// requests, partner HTTP calls and Redis commands, exported by OTLP as the standard <c>OTEL_*</c>
/// variables say (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
/// <c>OTEL_SERVICE_NAME</c>, <c>OTEL_TRACES_SAMPLER</c>, ...). Without an exporter no tracer provider is
/// registered at all: no activity listener, so every span start is a null check. See README, Tracing.
/// </summary>
public static class TracingSetup
{
    /// <summary>Adds tracing with the OTLP exporter when <see cref="ExportsTraces"/> says so for this process's environment.</summary>
    /// <param name="environment">Reads a variable; the process's environment unless given (tests).</param>
    public static OpenTelemetryBuilder WithGatewayTracing(this OpenTelemetryBuilder builder, Func<string, string?>? environment = null)
    {
        if (!ExportsTraces(environment ?? Environment.GetEnvironmentVariable))
        {
            return builder;
        }

        return builder.WithTracing(tracing => tracing
            .AddGatewayInstrumentation()
            // The OTEL_* variables decide endpoint, protocol and headers; OTEL_SERVICE_NAME and
            // OTEL_RESOURCE_ATTRIBUTES override the service name set for both signals.
            .ConfigureResource(resource => resource.AddEnvironmentVariableDetector())
            .AddOtlpExporter());
    }

    /// <summary>
    /// What the gateway traces: its payout stages, incoming requests (not probes or scrapes), partner
    /// HTTP calls, Redis. Outgoing trace context is left to each client's own
    /// <see cref="SocketsHttpHandler.ActivityHeadersPropagator"/> (partners and the pass-through
    /// proxy: none), because the default propagator is made W3C trace context alone: with any other
    /// (the SDK's default adds baggage), the HttpClient instrumentation would inject headers into
    /// every call itself, whatever the handler says.
    /// </summary>
    public static TracerProviderBuilder AddGatewayInstrumentation(this TracerProviderBuilder tracing)
    {
        Sdk.SetDefaultTextMapPropagator(new TraceContextPropagator());
        return tracing
            .AddSource(PayoutTracing.SourceName)
            .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsPlumbing(context.Request.Path))
            .AddHttpClientInstrumentation()
            .AddRedisInstrumentation();
    }

    /// <summary>
    /// Whether traces are exported: <c>OTEL_TRACES_EXPORTER</c> names <c>otlp</c> (<c>none</c> turns it
    /// off), or, with it unset, <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>
    /// is set; never when <c>OTEL_SDK_DISABLED</c> is true.
    /// </summary>
    public static bool ExportsTraces(Func<string, string?> environment)
    {
        if (string.Equals(environment("OTEL_SDK_DISABLED")?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (environment("OTEL_TRACES_EXPORTER") is { } exporters && !string.IsNullOrWhiteSpace(exporters))
        {
            return exporters.Split(',', StringSplitOptions.TrimEntries).Contains("otlp", StringComparer.OrdinalIgnoreCase);
        }

        return !string.IsNullOrWhiteSpace(environment("OTEL_EXPORTER_OTLP_ENDPOINT"))
            || !string.IsNullOrWhiteSpace(environment("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
    }

    private static bool IsPlumbing(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(TelemetrySetup.MetricsPath, StringComparison.OrdinalIgnoreCase);
}
