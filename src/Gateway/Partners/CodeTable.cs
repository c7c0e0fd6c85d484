using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Diagnosis;

namespace Gateway.Partners;

/// <summary>How a partner code is to be read, from the partner's codes file.</summary>
public enum CodeMeaning
{
    /// <summary>The code says nothing alone: read the transaction status.</summary>
    ByStatus,

    /// <summary>A definite rejection: nothing executed; the row names the cause.</summary>
    Rejected,

    /// <summary>Nothing executed, retry with the same reference; the cause applies when the retry budget is spent.</summary>
    Throttled,

    /// <summary>The partner holds the reference already: inquire and adopt.</summary>
    Duplicate,

    /// <summary>Outcome unknown: inquire. The cause applies if the inquiry proves nothing executed.</summary>
    Unknown,

    /// <summary>Inquiry only: the partner never received the reference.</summary>
    NotFound,
}

public sealed record CodeRow(CodeMeaning Meaning, string? Cause, string? Note);

/// <summary>
/// A partner's code → meaning/cause table: data that on-call can read and extend without a
/// rebuild (failure-causes.md rule 4). A code that is not in the table is unmapped: unknown
/// outcome, and <c>PARTNER_UNKNOWN_CODE</c> if it ends the payout. Keys starting with <c>_</c>
/// are notes for readers.
/// </summary>
public sealed class CodeTable
{
    private readonly Dictionary<string, CodeRow> _rows;

    private CodeTable(string partner, string path, Dictionary<string, CodeRow> rows)
    {
        Partner = partner;
        Path = path;
        _rows = rows;
    }

    public string Partner { get; }
    public string Path { get; }
    public IReadOnlyDictionary<string, CodeRow> Rows => _rows;

    public CodeRow? Find(string? code) => code is not null && _rows.TryGetValue(code, out var row) ? row : null;

    /// <summary>Reads and checks the table; one exception lists every bad row.</summary>
    public static CodeTable Load(string partner, string path, CauseCatalogue causes)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Code table for {partner} not found: {path}");
        }

        Dictionary<string, JsonRow>? raw;
        try
        {
            raw = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(path), ReadOptions)?
                .Where(r => !r.Key.StartsWith('_'))
                .ToDictionary(r => r.Key, r => r.Value.Deserialize<JsonRow>(ReadOptions)!, StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"Code table {path} is not valid JSON: {ex.Message}", ex);
        }

        var errors = new List<string>();
        var rows = new Dictionary<string, CodeRow>(StringComparer.Ordinal);
        foreach (var (code, row) in raw ?? [])
        {
            if (!Enum.TryParse<CodeMeaning>(row.Meaning?.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var meaning))
            {
                errors.Add($"{code}: unknown meaning '{row.Meaning}' (by_status, rejected, throttled, duplicate, unknown, not_found)");
                continue;
            }

            var needsCause = meaning is CodeMeaning.Rejected or CodeMeaning.Throttled or CodeMeaning.Unknown;
            if (needsCause && string.IsNullOrEmpty(row.Cause))
            {
                errors.Add($"{code}: meaning '{row.Meaning}' needs a cause");
            }
            else if (row.Cause is not null && !causes.Contains(row.Cause))
            {
                errors.Add($"{code}: unknown cause '{row.Cause}'");
            }

            rows[code] = new CodeRow(meaning, row.Cause, row.Note);
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Code table {path} for {partner} is invalid:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", errors));
        }

        return new CodeTable(partner, path, rows);
    }

    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private sealed record JsonRow(
        [property: JsonPropertyName("meaning")] string? Meaning,
        [property: JsonPropertyName("cause")] string? Cause,
        [property: JsonPropertyName("note")] string? Note);
}
