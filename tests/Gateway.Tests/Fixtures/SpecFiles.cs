namespace Gateway.Tests.Fixtures;

/// <summary>
/// The contract in <c>../shared/spec</c> beside the repository (where CI and developers have it).
/// Tests read it so the gateway is checked against the spec's letter, not a copy of it.
/// </summary>
public static class SpecFiles
{
    public static string Read(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "spec", name);
            if (File.Exists(candidate))
            {
                return File.ReadAllText(candidate);
            }
        }

        throw new FileNotFoundException($"shared/spec/{name} was not found above {AppContext.BaseDirectory}; the spec must sit beside the repository.");
    }

    /// <summary>The rows of the first markdown table whose header starts with <paramref name="firstHeader"/>.</summary>
    public static IReadOnlyList<string[]> Table(string markdown, string firstHeader)
    {
        var lines = markdown.Split('\n').Select(l => l.Trim()).ToList();
        var start = lines.FindIndex(l => l.StartsWith("| " + firstHeader + " |", StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException($"No table starting with '{firstHeader}'.");
        }

        return [.. lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())];
    }
}
