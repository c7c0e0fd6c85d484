using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Tests.OpenApi;

/// <summary>
/// The committed copy of the OpenAPI document, <c>openapi.json</c> at the repository root
/// (beside <c>Gateway.sln</c>), in the form it is written: indented, UTF-8 text unescaped.
/// </summary>
internal static class CommittedDocument
{
    public const string FileName = "openapi.json";

    /// <summary>Set to <c>1</c> to rewrite the committed copy from the served document.</summary>
    public const string UpdateVariable = "UPDATE_OPENAPI";

    private static readonly JsonSerializerOptions Written = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Path => System.IO.Path.Combine(RepositoryRoot(), FileName);

    public static bool UpdateRequested => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static JsonNode? Read() => File.Exists(Path) ? JsonNode.Parse(File.ReadAllText(Path)) : null;

    public static void Write(JsonNode document) =>
        File.WriteAllText(Path, document.ToJsonString(Written).ReplaceLineEndings("\n") + "\n");

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Gateway.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Gateway.sln above {AppContext.BaseDirectory}.");
    }
}
