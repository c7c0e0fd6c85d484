using Gateway.Diagnosis;
using Gateway.Partners;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Diagnosis;

public sealed class CauseCatalogueTests
{
    private readonly CauseCatalogue _catalogue = CauseCatalogue.Load(CauseCatalogue.DefaultPath);

    [Fact]
    public void Catalogue_MatchesEveryRowOfTheSpecTaxonomy()
    {
        var rows = SpecFiles.Table(SpecFiles.Read("failure-causes.md"), "category");

        Assert.Equal(rows.Count, _catalogue.All.Count);
        foreach (var row in rows)
        {
            var cause = _catalogue[row[1]];
            Assert.Equal(row[0], cause.Category);
            Assert.Equal(row[3], cause.Owner);
            Assert.Equal(row[4], cause.Resubmit);
            var nearest = row[5].Split([',', ' ', '–'], StringSplitOptions.RemoveEmptyEntries).Where(t => t.Length == 4 && t.All(char.IsAsciiLetterOrDigit)).DefaultIfEmpty(null).First();
            Assert.Equal(nearest, cause.IsoReasons.Count > 0 ? cause.IsoReasons[0] : null);
        }
    }

    [Fact]
    public void Catalogue_HasBorrowerMessagesInBothLanguagesForEveryCause()
    {
        Assert.All(_catalogue.All, cause =>
        {
            Assert.False(string.IsNullOrWhiteSpace(cause.BorrowerMessage["zh-CN"]), cause.Name);
            Assert.False(string.IsNullOrWhiteSpace(cause.BorrowerMessage["en"]), cause.Name);
            Assert.Contains(cause.BorrowerMessage["zh-CN"], c => c >= '\u4e00' && c <= '\u9fff');
        });
    }

    [Fact]
    public void Catalogue_UsesTheSpecsExampleBorrowerMessagesVerbatim()
    {
        var rows = SpecFiles.Table(SpecFiles.Read("failure-causes.md"), "cause");

        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            Assert.Equal(row[1], _catalogue[row[0]].BorrowerMessage["zh-CN"]);
            Assert.Equal(row[2], _catalogue[row[0]].BorrowerMessage["en"]);
        }
    }

    [Fact]
    public void YcbCodeTable_MapsEveryCodeOfTheSpecToItsCause()
    {
        var table = CodeTable.Load("ycb", Path.Combine(AppContext.BaseDirectory, "Partners", "Ycb", "ycb-codes.json"), _catalogue);
        var rows = SpecFiles.Table(SpecFiles.Read("partners.md"), "retCode");

        Assert.Equal(rows.Count, table.Rows.Count);
        foreach (var row in rows)
        {
            var mapped = table.Find(row[0]);
            Assert.NotNull(mapped);
            if (row[2].Length > 0 && row[2].All(c => char.IsAsciiLetterUpper(c) || c == '_'))
            {
                Assert.Equal(row[2], mapped.Cause);
            }
        }
    }

    [Fact]
    public void CodeTable_WithUnknownCauseOrMeaning_FailsListingEveryBadRow()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, """
            { "1001": { "meaning": "rejected", "cause": "ACCOUNT_INVALID" },
              "1002": { "meaning": "rejected", "cause": "ACCOUNT_GONE" },
              "1003": { "meaning": "sort_of", "cause": "ACCOUNT_FROZEN" },
              "1004": { "meaning": "rejected" } }
            """);
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => CodeTable.Load("ycb", path, _catalogue));

            Assert.Contains("1002: unknown cause 'ACCOUNT_GONE'", error.Message, StringComparison.Ordinal);
            Assert.Contains("1003: unknown meaning 'sort_of'", error.Message, StringComparison.Ordinal);
            Assert.Contains("1004: meaning 'rejected' needs a cause", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("1001", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
