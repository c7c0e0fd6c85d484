using System.ComponentModel.DataAnnotations;
using Gateway.Partners;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>
/// <c>Hosting:*</c>: how long a stopping instance (SIGTERM) may take. In that time it lets the
/// partner calls in flight finish and records their answers; the orchestrator's grace period
/// (docker-compose <c>stop_grace_period</c>, Kubernetes <c>terminationGracePeriodSeconds</c>)
/// must be longer still, or the instance is killed before it is done.
/// </summary>
public sealed class ShutdownOptions
{
    public const string Section = "Hosting";

    /// <summary>
    /// The host's shutdown timeout (<see cref="HostOptions.ShutdownTimeout"/>). Default 30 s. It
    /// must exceed every partner's <c>TotalTimeout</c> by <see cref="GracefulShutdown.SaveAllowance"/>
    /// plus <see cref="GracefulShutdown.CancelMargin"/>, so a call that just started can still
    /// finish and be saved.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public static class GracefulShutdown
{
    /// <summary>Time kept for saving a partner's answer after the call returns.</summary>
    public static readonly TimeSpan SaveAllowance = TimeSpan.FromSeconds(3);

    /// <summary>How long before the shutdown timeout expires calls still in flight are cancelled, so they end before the host gives up.</summary>
    public static readonly TimeSpan CancelMargin = TimeSpan.FromSeconds(2);

    /// <summary>What <c>Retry-After</c> says to a submission refused while shutting down: another instance answers by then.</summary>
    public const string RetryAfterSeconds = "1";

    /// <summary>Binds <c>Hosting:ShutdownTimeout</c>, checks it at start-up and makes it the host's shutdown timeout.</summary>
    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShutdownOptions>().Bind(configuration.GetSection(ShutdownOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>();
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = shutdown.Value.ShutdownTimeout);
        return services;
    }

    /// <summary>A call that starts just before SIGTERM must be able to finish and be saved within the timeout.</summary>
    private sealed class ShutdownOptionsValidator(PartnerRegistry partners) : IValidateOptions<ShutdownOptions>
    {
        public ValidateOptionsResult Validate(string? name, ShutdownOptions options)
        {
            var errors = partners.Enabled.Select(p => p.Name)
                .Where(p => partners.OptionsOf(p).TotalTimeout + SaveAllowance + CancelMargin > options.ShutdownTimeout)
                .Select(p => $"Hosting:ShutdownTimeout ({options.ShutdownTimeout}) must be at least Partners:{p}:TotalTimeout "
                    + $"({partners.OptionsOf(p).TotalTimeout}) + {(SaveAllowance + CancelMargin).TotalSeconds:0} s, so a call in flight at shutdown can finish and be recorded.")
                .ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
