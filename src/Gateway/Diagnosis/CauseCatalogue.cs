using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Diagnosis;

/// <summary>
/// The taxonomy (<c>Diagnosis/causes.json</c>), loaded once at start-up and checked whole:
/// every row needs a known category, owner and resubmit value and both borrower languages.
/// </summary>
public sealed class CauseCatalogue
{
    public static readonly IReadOnlySet<string> Categories = new HashSet<string>(StringComparer.Ordinal)
    {
        "partner_connectivity", "partner_integration", "gateway", "risk_control", "borrower_qualification",
        "limit", "beneficiary_account", "funding", "regulatory", "request", "unspecified",
    };

    public static readonly IReadOnlySet<string> Owners = new HashSet<string>(StringComparer.Ordinal)
    {
        "on_call", "partner_ops", "risk", "compliance", "treasury", "borrower", "lending_backend",
    };

    public static readonly IReadOnlySet<string> ResubmitValues = new HashSet<string>(StringComparer.Ordinal)
    {
        "resubmit", "resubmit_after_fix", "do_not_resubmit",
    };

    public static readonly IReadOnlyList<string> Languages = ["zh-CN", "en"];

    private readonly Dictionary<string, FailureCause> _causes;

    private CauseCatalogue(Dictionary<string, FailureCause> causes) => _causes = causes;

    public IReadOnlyCollection<FailureCause> All => _causes.Values;

    public bool Contains(string cause) => _causes.ContainsKey(cause);

    public FailureCause this[string cause] => _causes[cause];

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Diagnosis", "causes.json");

    /// <summary>Loads and validates the file; throws one exception that lists every bad row.</summary>
    public static CauseCatalogue Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Cause catalogue not found: {path}");
        }

        Dictionary<string, Row>? rows;
        try
        {
            rows = JsonSerializer.Deserialize<Dictionary<string, Row>>(File.ReadAllText(path), ReadOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"Cause catalogue {path} is not valid JSON: {ex.Message}", ex);
        }

        var errors = new List<string>();
        var causes = new Dictionary<string, FailureCause>(StringComparer.Ordinal);
        foreach (var (name, row) in rows ?? [])
        {
            if (!Categories.Contains(row.Category ?? ""))
            {
                errors.Add($"{name}: unknown category '{row.Category}'");
            }

            if (!Owners.Contains(row.Owner ?? ""))
            {
                errors.Add($"{name}: unknown owner '{row.Owner}'");
            }

            if (!ResubmitValues.Contains(row.Resubmit ?? ""))
            {
                errors.Add($"{name}: unknown resubmit '{row.Resubmit}'");
            }

            if (row.Failover is null)
            {
                errors.Add($"{name}: failover (true or false) is missing");
            }

            foreach (var language in Languages.Where(l => string.IsNullOrWhiteSpace(row.BorrowerMessage?.GetValueOrDefault(l))))
            {
                errors.Add($"{name}: borrowerMessage.{language} is missing");
            }

            causes[name] = new FailureCause
            {
                Name = name,
                Category = row.Category ?? "",
                Owner = row.Owner ?? "",
                Resubmit = row.Resubmit ?? "",
                Failover = row.Failover ?? false,
                IsoReasons = row.IsoReasons ?? [],
                Meaning = row.Meaning ?? "",
                Action = row.Action,
                BorrowerMessage = row.BorrowerMessage ?? [],
            };
        }

        foreach (var required in typeof(Causes).GetFields().Select(f => (string)f.GetValue(null)!).Where(c => !causes.ContainsKey(c)))
        {
            errors.Add($"{required}: the gateway produces this cause but the catalogue lacks it");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Cause catalogue {path} is invalid:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", errors));
        }

        return new CauseCatalogue(causes);
    }

    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private sealed record Row(
        string? Category,
        string? Owner,
        string? Resubmit,
        bool? Failover,
        [property: JsonPropertyName("isoReasons")] List<string>? IsoReasons,
        string? Meaning,
        string? Action,
        Dictionary<string, string>? BorrowerMessage);
}
