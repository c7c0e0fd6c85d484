namespace Orchestration;

/// <summary>Where the repository and the built gateway are, found from a running program's own folder.</summary>
public static class RepositoryLayout
{
    /// <summary>The folder holding Gateway.sln, searched upwards from <paramref name="start"/> (default: the program's folder).</summary>
    public static string Root(string? start = null)
    {
        for (var folder = new DirectoryInfo(start ?? AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Gateway.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln was not found above the program's folder; pass the paths explicitly.");
    }

    /// <summary>
    /// The built gateway of the given configuration (the one the caller was built with, by default
    /// taken from its own folder, <c>bin/&lt;Configuration&gt;/&lt;tfm&gt;/</c>).
    /// </summary>
    public static string GatewayDll(string? configuration = null)
    {
        configuration ??= new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";
        var path = Path.Combine(Root(), "src", "Gateway", "bin", configuration, "net10.0", "Gateway.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The gateway is not built for {configuration}: dotnet build Gateway.sln -c {configuration}", path);
    }

    /// <summary>The built partner simulators (<c>tools/Simulators</c>) of the given configuration, as <see cref="GatewayDll"/> finds the gateway.</summary>
    public static string SimulatorsDll(string? configuration = null)
    {
        configuration ??= new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";
        var path = Path.Combine(Root(), "tools", "Simulators", "bin", configuration, "net10.0", "Simulators.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The simulators are not built for {configuration}: dotnet build Gateway.sln -c {configuration}", path);
    }
}
