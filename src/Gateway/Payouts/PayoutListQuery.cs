using System.Globalization;
using Gateway.Diagnosis;
using Gateway.Storage;

namespace Gateway.Payouts;

/// <summary>Reads and checks the query of <c>GET /v1/payouts</c>; every bad parameter is named.</summary>
public static class PayoutListQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    private static readonly string[] Statuses = ["processing", "succeeded", "failed"];

    public static (PayoutFilter? Filter, Dictionary<string, string[]> Errors) Read(string client, CauseCatalogue causes,
        string? status, string? category, string? cause, string? partner, string? since, string? limit, string? cursor)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !Statuses.Contains(status))
        {
            errors["status"] = ["Must be processing, succeeded or failed."];
        }

        if (category is not null && !CauseCatalogue.Categories.Contains(category))
        {
            errors["category"] = [$"Unknown category; one of {string.Join(", ", CauseCatalogue.Categories.Order(StringComparer.Ordinal))}."];
        }

        if (cause is not null && !causes.Contains(cause))
        {
            errors["cause"] = ["Unknown cause; see failure-causes.md."];
        }

        if (partner is not null && (partner.Length is 0 or > 32 || !partner.All(char.IsAsciiLetterOrDigit)))
        {
            errors["partner"] = ["Must be a partner name such as ycb."];
        }

        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                from = parsed;
            }
            else
            {
                errors["since"] = ["Must be an ISO 8601 timestamp such as 2026-11-22T00:00:00Z."];
            }
        }

        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"Must be a whole number from 1 to {MaxLimit}."];
        }

        PayoutCursor? after = null;
        if (cursor is not null && (after = PayoutCursor.TryDecode(cursor)) is null)
        {
            errors["cursor"] = ["Not a cursor this API returned."];
        }

        return errors.Count > 0
            ? (null, errors)
            : (new PayoutFilter(client, status, category, cause, partner, from, size, after), errors);
    }
}
