using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>
/// Start-up refused because of configuration: every option error of every options type (the
/// <see cref="OptionsValidationException"/>s that ValidateOnStart gathers, alone or in an
/// <see cref="AggregateException"/>), and the configuration checks that refuse a start with an
/// <see cref="InvalidOperationException"/> (code tables, the Redis eviction policy), written once to
/// stderr as a readable list, once as a log event, with exit code 1 and no stack trace.
/// </summary>
public static partial class StartupErrors
{
    public const int ExitCode = 1;

    /// <summary>
    /// Whether the gateway runs as its own process (<c>dotnet Gateway.dll</c>). Hosted in another's
    /// (WebApplicationFactory), the start's exception is left to the host, which reports it to its caller.
    /// </summary>
    public static bool IsOwnProcess => System.Reflection.Assembly.GetEntryAssembly() == typeof(StartupErrors).Assembly;

    /// <summary>The distinct errors in <paramref name="exception"/>, in order; empty when it is not a configuration error.</summary>
    public static IReadOnlyList<string> Of(Exception exception)
    {
        var errors = new List<string>();
        foreach (var inner in Flatten(exception))
        {
            switch (inner)
            {
                case OptionsValidationException options:
                    errors.AddRange(options.Failures);
                    break;
                case InvalidOperationException refused:
                    errors.AddRange(refused.Message.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
                    break;
                default:
                    return [];
            }
        }

        return [.. errors.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// <paramref name="errors"/> with those of every option validated at start: a service built before the
    /// host's own validation (its constructor reading one bad option) stops the start with that option's
    /// error alone, so every option is validated again here and nothing is hidden.
    /// </summary>
    public static IReadOnlyList<string> WithEveryOption(IServiceProvider services, IReadOnlyList<string> errors)
    {
        IReadOnlyList<string> all = [];
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception ex)
        {
            all = Of(ex);
        }

        return [.. all.Concat(errors).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether the host's own "Hosting failed to start" event carries only what <see cref="Report"/> says.</summary>
    public static bool IsConfiguration(Exception exception) => Of(exception).Count > 0;

    /// <summary>Writes the list to stderr and logs it; returns the exit code.</summary>
    public static int Report(IReadOnlyList<string> errors, ILogger log)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(errors.Count == 1
            ? "The gateway did not start: 1 configuration error."
            : $"The gateway did not start: {errors.Count} configuration errors.");
        foreach (var error in errors)
        {
            text.Append("  - ").AppendLine(error);
        }

        text.AppendLine("Fix the settings named above (appsettings*.json, environment variables with __ for :, or the command line) and start again.");
        Log.Refused(log, errors.Count, errors);
        Console.Error.Write(text.ToString());
        return ExitCode;
    }

    private static System.Collections.ObjectModel.ReadOnlyCollection<Exception> Flatten(Exception exception) =>
        exception is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : new([exception]);

    private static partial class Log
    {
        [LoggerMessage(EventId = 9001, Level = LogLevel.Critical, Message = "Start-up refused: {ErrorCount} configuration error(s): {Errors}")]
        public static partial void Refused(ILogger logger, int errorCount, IReadOnlyList<string> errors);
    }
}
