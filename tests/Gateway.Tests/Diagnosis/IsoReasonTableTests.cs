using Gateway.Diagnosis;

namespace Gateway.Tests.Diagnosis;

/// <summary>iso-reasons.json: the ISO 20022 reason codes mapped once, consistent with the cause catalogue.</summary>
public sealed class IsoReasonTableTests
{
    private static readonly CauseCatalogue Causes = CauseCatalogue.Load(CauseCatalogue.DefaultPath);

    [Fact]
    public void Table_EveryIsoCodeTheCatalogueNames_MapsToACauseThatListsIt()
    {
        var table = IsoReasonTable.Load(IsoReasonTable.DefaultPath, Causes);

        foreach (var cause in Causes.All)
        {
            foreach (var code in cause.IsoReasons)
            {
                var reason = table.Find(code);
                Assert.NotNull(reason);
                Assert.Contains(code, Causes[reason.Cause].IsoReasons);
            }
        }

        Assert.True(table.All.Count >= 250, $"only {table.All.Count} ISO codes mapped");
        Assert.Null(table.Find("ZZ99"));
    }

    [Theory]
    [InlineData("AC07", "ACCOUNT_CLOSED")]
    [InlineData("MD07", "ACCOUNT_CLOSED")]
    [InlineData("AM14", "AMOUNT_LIMIT_EXCEEDED")]
    [InlineData("FF10", "PARTNER_DOWNSTREAM_FAILURE")]
    [InlineData("RR04", "REGULATORY_BLOCK")]
    [InlineData("AC06", "ACCOUNT_FROZEN")]
    [InlineData("BE01", "ACCOUNT_NAME_MISMATCH")]
    [InlineData("DUPL", "DUPLICATE_PAYOUT")]
    [InlineData("AM04", "INSUFFICIENT_FUNDS")]
    [InlineData("AG01", "REGULATORY_BLOCK")]
    [InlineData("RR01", "KYC_INCOMPLETE")]
    [InlineData("CNOR", "BANK_NOT_SUPPORTED")]
    [InlineData("SL15", "PARTNER_QUOTA_EXHAUSTED")]
    public void Find_SampleCode_MapsByIsoMeaning(string code, string cause)
    {
        Assert.Equal(cause, IsoReasonTable.Load(IsoReasonTable.DefaultPath, Causes).Find(code)!.Cause);
    }

    [Fact]
    public void Load_UnknownCause_FailsNamingTheRow()
    {
        var path = Path.Combine(Path.GetTempPath(), $"iso-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, File.ReadAllText(IsoReasonTable.DefaultPath).Replace("\"ACCOUNT_CLOSED\"", "\"ACCOUNT_GONE\"", StringComparison.Ordinal));
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => IsoReasonTable.Load(path, Causes));

            Assert.Contains("AC04: unknown cause 'ACCOUNT_GONE'", error.Message, StringComparison.Ordinal);
            Assert.Contains("AC07: unknown cause 'ACCOUNT_GONE'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
