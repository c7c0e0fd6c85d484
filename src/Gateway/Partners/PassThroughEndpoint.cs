using System.Text.RegularExpressions;

namespace Gateway.Partners;

/// <summary>
/// One partner call the pass-through allows: an exact method and an exact path on the partner
/// (payout-api.md "Partner pass-through", partners.md "Pass-through APIs"). Declared in code beside
/// each partner (its <see cref="IPartnerProxyCredentials.AllowList"/>); a path is plain lower-case
/// segments, so a declared entry can never itself be a pattern, an encoding or a dot segment.
/// </summary>
public sealed partial record PassThroughEndpoint
{
    public PassThroughEndpoint(string method, string path)
    {
        if (method is not ("GET" or "POST"))
        {
            throw new ArgumentException($"Pass-through method '{method}' must be GET or POST.", nameof(method));
        }

        if (!PlainPath().IsMatch(path))
        {
            throw new ArgumentException($"Pass-through path '{path}' must be '/'-separated lower-case segments of a-z, 0-9, '-' and '_'.", nameof(path));
        }

        Method = method;
        Path = path;
    }

    /// <summary><c>GET</c> or <c>POST</c>, matched exactly.</summary>
    public string Method { get; }

    /// <summary>The partner's path, e.g. <c>/api/v2/accounts/balance</c>; matched and forwarded exactly.</summary>
    public string Path { get; }

    /// <summary>Whether the call carries a request body (at most <see cref="PassThroughBody.MaxBytes"/>).</summary>
    public bool TakesBody => Method == "POST";

    /// <summary>How the entry travels in route metadata: <c>GET /api/v2/accounts/balance</c>.</summary>
    public override string ToString() => Method + " " + Path;

    public static PassThroughEndpoint Parse(string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return new PassThroughEndpoint(value[..space], value[(space + 1)..]);
    }

    [GeneratedRegex(@"\A(/[a-z0-9_-]+)+\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainPath();
}
