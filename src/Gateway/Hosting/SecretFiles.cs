namespace Gateway.Hosting;

/// <summary>
/// Secrets as files, one value per file (Docker and Kubernetes secrets): the folder named by
/// <c>Secrets:Directory</c> (default <c>/run/secrets</c>, ignored when absent), each file named as
/// the environment variable would be (<c>Auth__ApiKeys__lender-a</c>, <c>Partners__ycb__AppSecret</c>)
/// and holding the value. Read after the environment, so a mounted secret wins. In Development,
/// <c>dotnet user-secrets</c> also works (the host reads them; the project has a UserSecretsId).
/// </summary>
public static class SecretFiles
{
    public const string DirectoryKey = "Secrets:Directory";
    public const string DefaultDirectory = "/run/secrets";

    public static WebApplicationBuilder AddSecretFiles(this WebApplicationBuilder builder)
    {
        var folder = builder.Configuration[DirectoryKey] ?? DefaultDirectory;
        builder.Configuration.AddKeyPerFile(source =>
        {
            source.FileProvider = Directory.Exists(folder) ? new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetFullPath(folder)) : null;
            source.Optional = true;
            source.SectionDelimiter = "__";
        });
        return builder;
    }
}
