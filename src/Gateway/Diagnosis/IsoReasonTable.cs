using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Diagnosis;

/// <summary>One ISO 20022 ExternalStatusReason1Code: its ISO name with a short gloss, and the cause it means.</summary>
public sealed record IsoReason(string Code, string Meaning, string Cause);

/// <summary>
/// ISO 20022 status reason codes mapped to causes once, for every partner that sends them
/// (<c>Diagnosis/iso-reasons.json</c>, failure-causes.md rule 4). Checked whole at start-up:
/// every cause must exist, every row needs a meaning, and every code the catalogue lists as a cause's nearest ISO reason
/// must map to a cause that lists it. The file may carry // comments; keys starting with <c>_</c> are notes.
/// </summary>
public sealed class IsoReasonTable
{
    private readonly Dictionary<string, IsoReason> _reasons;

    private IsoReasonTable(Dictionary<string, IsoReason> reasons) => _reasons = reasons;

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Diagnosis", "iso-reasons.json");

    public IReadOnlyCollection<IsoReason> All => _reasons.Values;

    public IsoReason? Find(string? code) => code is not null && _reasons.TryGetValue(code, out var reason) ? reason : null;

    public static IsoReasonTable Load(string path, CauseCatalogue causes)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"ISO reason table not found: {path}");
        }

        Dictionary<string, JsonElement>? raw;
        try
        {
            raw = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(path), ReadOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"ISO reason table {path} is not valid JSON: {ex.Message}", ex);
        }

        var errors = new List<string>();
        var reasons = new Dictionary<string, IsoReason>(StringComparer.Ordinal);
        foreach (var (code, element) in (raw ?? []).Where(e => !e.Key.StartsWith('_')))
        {
            var row = element.Deserialize<Row>(ReadOptions);
            if (code.Length != 4)
            {
                errors.Add($"{code}: an ISO reason code has four characters");
            }

            if (row?.Cause is not { } cause || !causes.Contains(cause))
            {
                errors.Add($"{code}: unknown cause '{row?.Cause}'");
                continue;
            }

            if (string.IsNullOrWhiteSpace(row.Meaning))
            {
                errors.Add($"{code}: meaning is missing");
            }

            reasons[code] = new IsoReason(code, row.Meaning ?? "", cause);
        }

        foreach (var cause in causes.All)
        {
            foreach (var code in cause.IsoReasons)
            {
                if (!reasons.TryGetValue(code, out var reason))
                {
                    errors.Add($"{code}: listed for {cause.Name} in the cause catalogue but missing here");
                }
                else if (reason.Cause != cause.Name && !causes[reason.Cause].IsoReasons.Contains(code))
                {
                    errors.Add($"{code}: maps to {reason.Cause}, but the cause catalogue lists it for {cause.Name}");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"ISO reason table {path} is invalid:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", errors));
        }

        return new IsoReasonTable(reasons);
    }

    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private sealed record Row(
        [property: JsonPropertyName("cause")] string? Cause,
        [property: JsonPropertyName("meaning")] string? Meaning);
}
