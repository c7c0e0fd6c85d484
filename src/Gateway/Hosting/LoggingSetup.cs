using System.Reflection;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Gateway.Hosting;

/// <summary>
/// Serilog behind <see cref="ILogger"/>. Production writes compact JSON (one event a line, with
/// trace and span ids); <c>Logging:Format=text</c> (the sandbox) writes readable lines. Every event
/// carries <c>Version</c> and <c>Environment</c>, and the properties of every registered
/// <see cref="ILogEventEnricher"/> (the instance's <c>InstanceId</c>).
/// Beneficiary names and account numbers are never passed to a logger: see <see cref="Payouts.Masking"/>.
/// </summary>
public static class LoggingSetup
{
    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder)
    {
        var text = string.Equals(builder.Configuration["Logging:Format"], "text", StringComparison.OrdinalIgnoreCase);
        // preserveStaticLogger: this host's logger lives in its container only, so two hosts in one
        // process (tests, or the sandbox's in-process parts) never take each other's events.
        builder.Services.AddSerilog(preserveStaticLogger: true, configureLogger: (services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http.HttpClient", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", Serilog.Events.LogEventLevel.Warning)
                // YARP's Information events write proxied URLs with their query strings.
                .MinimumLevel.Override("Yarp", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Yarp.ReverseProxy", Serilog.Events.LogEventLevel.Warning)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Service", "disbursement-gateway")
                .Enrich.WithProperty("Version", Version)
                .Enrich.WithProperty("Environment", builder.Environment.EnvironmentName)
                // The host's own "Hosting failed to start" with a stack trace: StartupErrors says it once, readably.
                .Filter.ByExcluding(IsStartupFailureTrace);
            foreach (var enricher in services.GetServices<ILogEventEnricher>())
            {
                logger.Enrich.With(enricher);
            }

            foreach (var sink in services.GetServices<ILogEventSink>())
            {
                logger.WriteTo.Sink(sink);
            }

            if (text)
            {
                logger.WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture, outputTemplate:
                    "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj} {Properties:j}{NewLine}{Exception}");
            }
            else
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
        });
        CacheLoggers(builder.Services);
        return builder;
    }

    /// <summary>This build's version: the assembly's informational version (e.g. <c>1.0.0+&lt;commit&gt;</c>).</summary>
    public static string Version { get; } =
        typeof(LoggingSetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(LoggingSetup).Assembly.GetName().Version?.ToString() ?? "unknown";

    private static bool IsStartupFailureTrace(LogEvent e) =>
        e.Exception is { } exception
        && e.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" }
        && StartupErrors.IsConfiguration(exception);

    /// <summary>
    /// Serilog's logger factory builds a new logger (with its own caches) on every CreateLogger, and
    /// the framework creates loggers per request (authentication handlers, results): one logger per
    /// category is kept instead.
    /// </summary>
    private static void CacheLoggers(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ILoggerFactory));
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(sp => new CachingLoggerFactory(registered.ImplementationFactory is { } factory
            ? (ILoggerFactory)factory(sp)
            : registered.ImplementationInstance as ILoggerFactory
                ?? (ILoggerFactory)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)));
    }

    private sealed class CachingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Microsoft.Extensions.Logging.ILogger> _loggers = new(StringComparer.Ordinal);

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, inner.CreateLogger);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    public static WebApplication UseGatewayRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            // This host's logger, not the process-wide static one (see AddGatewayLogging).
            options.Logger = app.Services.GetService<Serilog.ILogger>();
            // Paths carry payout ids only; query strings and bodies are never logged.
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} answered {StatusCode} in {Elapsed:0.0} ms";
        });
        return app;
    }
}
