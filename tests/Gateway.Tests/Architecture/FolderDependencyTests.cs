using System.Text.RegularExpressions;

namespace Gateway.Tests.Architecture;

/// <summary>
/// Reads the <c>using Gateway.*</c> lines of the gateway's source files (src/Gateway/&lt;folder&gt;/**.cs)
/// and checks the folder graph: no cycle between feature folders, and Redis is touched only by the
/// payout state store (Storage/) and the connection setup, eviction check (Hosting/) and health check (Health/).
/// </summary>
public sealed partial class FolderDependencyTests
{
    /// <summary>The only folders that may use StackExchange.Redis.</summary>
    private static readonly string[] RedisFolders = ["Storage", "Hosting", "Health"];

    [Fact]
    public void FeatureFolders_ImportEachOther_WithoutCycles()
    {
        var graph = FolderGraph();
        var cycle = FindCycle(graph);

        Assert.True(cycle is null, cycle is null ? "" : "Folder cycle: " + string.Join(" -> ", cycle)
            + Environment.NewLine + Describe(graph));
    }

    [Fact]
    public void StackExchangeRedis_IsUsed_OnlyByStateStoreAndHosting()
    {
        var offenders = SourceFiles()
            .Where(f => !RedisFolders.Contains(f.Folder, StringComparer.Ordinal))
            .Where(f => f.Text.Contains("StackExchange.Redis", StringComparison.Ordinal) || f.Text.Contains("IConnectionMultiplexer", StringComparison.Ordinal))
            .Select(f => f.Path)
            .ToList();

        Assert.True(offenders.Count == 0, "Redis used outside " + string.Join(", ", RedisFolders) + ": " + string.Join(", ", offenders));
    }

    [Fact]
    public void Core_ImportsNoOtherFolder()
    {
        Assert.Empty(FolderGraph().GetValueOrDefault("Core") ?? []);
    }

    [Fact]
    public void FindCycle_ReportsACycle()
    {
        var graph = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal)
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
        };

        Assert.Equal("A -> B -> C -> A", string.Join(" -> ", FindCycle(graph) ?? []));
    }

    internal static Dictionary<string, SortedSet<string>> FolderGraph()
    {
        var graph = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var file in SourceFiles())
        {
            var edges = graph.TryGetValue(file.Folder, out var set) ? set : graph[file.Folder] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (Match match in GatewayUsing().Matches(file.Text))
            {
                var target = match.Groups[1].Value;
                if (target != file.Folder)
                {
                    edges.Add(target);
                }
            }
        }

        return graph;
    }

    internal static IReadOnlyList<string>? FindCycle(IReadOnlyDictionary<string, SortedSet<string>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the path, 2 done
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)), next];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private static string Describe(Dictionary<string, SortedSet<string>> graph) =>
        string.Join(Environment.NewLine, graph.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} -> {string.Join(" ", g.Value)}"));

    private static IEnumerable<(string Folder, string Path, string Text)> SourceFiles()
    {
        var source = Path.Combine(RepoRoot(), "src", "Gateway");
        foreach (var folder in Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(folder);
            if (name is "bin" or "obj")
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            {
                yield return (name, Path.GetRelativePath(source, file), File.ReadAllText(file));
            }
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?Gateway\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex GatewayUsing();
}
