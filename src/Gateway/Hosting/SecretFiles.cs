using Microsoft.Extensions.FileProviders;

namespace Gateway.Hosting;

/// <summary>
/// Secrets as files, one value per file (Docker and Kubernetes secrets): the folder named by
/// <c>Secrets:Directory</c> (default <c>/run/secrets</c>, ignored when absent), each file named as
/// the environment variable would be (<c>Auth__ApiKeys__lender-a</c>, <c>Partners__ycb__AppSecret</c>)
/// and holding the value. Read after the environment, so a mounted secret wins. In Development,
/// <c>dotnet user-secrets</c> also works (the host reads them; the project has a UserSecretsId).
/// <para>
/// The folder is polled (every 4 s, by file write times: Kubernetes replaces a mounted secret by
/// swapping a symlink, which file-system events miss) and the configuration reloads when a file
/// changes. Only what follows reloads sees a new value — today the webhook endpoints
/// (<c>Webhooks/WebhookOptions.cs</c>, validated before use); every other option is read once at start.
/// </para>
/// </summary>
public static class SecretFiles
{
    public const string DirectoryKey = "Secrets:Directory";
    public const string DefaultDirectory = "/run/secrets";

    /// <summary>How long after a file's change the configuration reloads (the file provider's debounce).</summary>
    public const int ReloadDelayMs = 250;

    public static WebApplicationBuilder AddSecretFiles(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddSecretFiles(builder.Configuration[DirectoryKey] ?? DefaultDirectory);
        return builder;
    }

    /// <summary>The files of <paramref name="folder"/> as settings, reloaded on change (nothing when the folder is absent).</summary>
    public static IConfigurationBuilder AddSecretFiles(this IConfigurationBuilder configuration, string folder) =>
        configuration.AddKeyPerFile(source =>
        {
            source.FileProvider = Directory.Exists(folder)
                ? new PhysicalFileProvider(Path.GetFullPath(folder)) { UsePollingFileWatcher = true, UseActivePolling = true }
                : null;
            source.Optional = true;
            source.SectionDelimiter = "__";
            source.ReloadOnChange = source.FileProvider is not null;
            source.ReloadDelay = ReloadDelayMs;
        });
}
