using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Ops;

/// <summary>
/// <c>GET /ops</c>: one self-contained HTML page for people during an incident (inline CSS and
/// script, nothing fetched from elsewhere). It needs no key to load; it asks for an on-call key (<c>Auth:OpsKeys</c>) and calls
/// the <c>/v1/diagnostics</c> endpoints with it. A Content-Security-Policy allows exactly the
/// page's own inline style and script (by hash) and calls to this origin only.
/// </summary>
public static partial class OpsPage
{
    public const string Path = "/ops";
    private const string ResourceName = "Gateway.Ops.ops.html";

    public static IEndpointConventionBuilder MapOpsPage(this IEndpointRouteBuilder app)
    {
        var html = Load();
        var policy = ContentSecurityPolicy(html);
        return app.MapGet(Path, (HttpContext context) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.CacheControl = "no-store";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                return TypedResults.Text(html, "text/html; charset=utf-8");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
    }

    internal static string Load()
    {
        using var stream = typeof(OpsPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The on-call page ({ResourceName}) is not embedded in the gateway.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    internal static string ContentSecurityPolicy(string html)
    {
        static string Hashes(IEnumerable<Match> blocks) => string.Join(' ', blocks.Select(m =>
            $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'"));

        return "default-src 'none'; "
            + $"script-src {Hashes(ScriptBlock().Matches(html))}; "
            + $"style-src {Hashes(StyleBlock().Matches(html))}; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();
}
