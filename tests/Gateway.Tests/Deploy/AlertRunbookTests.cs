using System.Text.RegularExpressions;

namespace Gateway.Tests.Deploy;

/// <summary>
/// Every alert in <c>deploy/prometheus/alerts.yml</c> carries a <c>runbook_url</c> to its own
/// section of <c>docs/runbook.md</c>, and that section exists (GitHub's heading anchors).
/// </summary>
public sealed partial class AlertRunbookTests
{
    [Fact]
    public void EveryAlert_LinksToItsOwnRunbookSection()
    {
        var root = RepoRoot();
        var rules = File.ReadAllLines(Path.Combine(root, "deploy/prometheus/alerts.yml"));
        var sections = File.ReadAllLines(Path.Combine(root, "docs/runbook.md"))
            .Where(l => l.StartsWith("## ", StringComparison.Ordinal))
            .Select(l => Anchor(l[3..]))
            .ToHashSet(StringComparer.Ordinal);

        var alerts = new List<(string Alert, string? Runbook)>();
        foreach (var line in rules)
        {
            if (AlertLine().Match(line) is { Success: true } alert)
            {
                alerts.Add((alert.Groups[1].Value, null));
            }
            else if (RunbookLine().Match(line) is { Success: true } runbook && alerts.Count > 0)
            {
                alerts[^1] = (alerts[^1].Alert, runbook.Groups[1].Value);
            }
        }

        Assert.True(alerts.Count >= 18, $"only {alerts.Count} alerts read");
        foreach (var (alert, runbook) in alerts)
        {
            Assert.True(runbook is not null, $"{alert} has no runbook_url");
            Assert.Equal("docs/runbook.md#" + Anchor(alert), runbook);
            Assert.Contains(Anchor(alert), sections);
        }
    }

    /// <summary>GitHub's anchor of a heading: lower case, spaces to hyphens, punctuation dropped.</summary>
    private static string Anchor(string heading) =>
        NotAnchor().Replace(heading.Trim().ToLowerInvariant().Replace(' ', '-'), "");

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

    [GeneratedRegex(@"^\s+- alert: (\w+)\s*$")]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^\s+runbook_url: ""([^""]+)""\s*$")]
    private static partial Regex RunbookLine();

    [GeneratedRegex("[^a-z0-9_-]")]
    private static partial Regex NotAnchor();
}
