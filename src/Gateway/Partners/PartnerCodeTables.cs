using Gateway.Diagnosis;

namespace Gateway.Partners;

/// <summary>Every enabled partner's code table, loaded and checked together at start-up.</summary>
public sealed class PartnerCodeTables
{
    private readonly Dictionary<string, CodeTable> _tables;

    public PartnerCodeTables(PartnerRegistry partners, CauseCatalogue causes)
    {
        var errors = new List<string>();
        _tables = new Dictionary<string, CodeTable>(StringComparer.Ordinal);
        foreach (var partner in partners.Enabled)
        {
            try
            {
                _tables[partner.Name] = CodeTable.Load(partner.Name, partner.CodesFile, causes);
            }
            catch (InvalidOperationException ex)
            {
                errors.Add(ex.Message);
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }
    }

    public CodeTable For(string partner) => _tables[partner];
}
