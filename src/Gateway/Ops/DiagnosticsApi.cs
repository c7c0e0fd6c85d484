using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Auth;
using Gateway.Diagnosis;
using Gateway.Hosting;
using Gateway.Partners;
using Gateway.Payouts;
using Gateway.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Gateway.Core;

namespace Gateway.Ops;

/// <summary>
/// <c>/v1/diagnostics</c> for on-call: what failed in a window, why, where, and whom to call;
/// and how each partner is doing. On-call keys only (<see cref="ApiKeyAuthentication.OpsPolicy"/>):
/// they read across every client, so a client key is refused with 403. Each on-call key has its own
/// rate (<see cref="OpsOptions.DiagnosticsRateLimit"/>, 429 beyond).
/// </summary>
public static partial class DiagnosticsApi
{
    public static RouteGroupBuilder MapDiagnosticsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/diagnostics")
            .RequireAuthorization(ApiKeyAuthentication.OpsPolicy)
            .AddEndpointFilter<DiagnosticsRateFilter>()
            .WithTags("Diagnostics");
        group.MapGet("/failures", FailuresAsync)
            .WithName("FailureDiagnostics")
            .WithSummary("Failed payouts in a window (e.g. window=1h) by category, cause and partner, each with its latest example.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/failed-payouts", RecentFailedAsync)
            .WithName("RecentFailedPayouts")
            .WithSummary("The latest failed payouts of every client, newest first, masked, with their diagnoses (limit ≤ 100).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/payouts/{id}", PayoutAsync)
            .WithName("DiagnosePayout")
            .WithSummary("Any client's payout by id, masked, for on-call.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/webhooks", WebhooksAsync)
            .WithName("WebhookDiagnostics")
            .WithSummary("The webhook outbox of every client: entries stored, undelivered (not dead-lettered) and the age of the oldest of them, waiting retries, dead letters and the latest 20 of them.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/partners", PartnersAsync)
            .WithName("PartnerDiagnostics")
            .WithSummary("Per partner: circuit state, recent success rate, latency percentiles and the last failure causes.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapStateStoreDiagnostics();
        return group;
    }

    private static async Task<Results<Ok<WebhookReport>, ProblemHttpResult>> WebhooksAsync(IWebhookOutbox outbox, TimeProvider time)
    {
        try
        {
            var counts = outbox.CountsAsync(time.GetUtcNow());
            var dead = await outbox.DeadLettersAsync(null, 20);
            return TypedResults.Ok(new WebhookReport(await counts, [.. dead.Select(d => new WebhookDeadLetterReport(d.Entry.Client,
                d.Entry.EventId, d.Entry.PayoutId, d.Entry.Type, d.Entry.Endpoint, d.Entry.Attempts, d.Entry.RecordedAt, d.DeadAt))]));
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return Problems.StateStoreUnavailable("The webhook outbox cannot be read now; retry shortly.");
        }
    }

    private static async Task<Results<Ok<FailureReport>, ProblemHttpResult>> FailuresAsync(
        string? window, OutcomeStats stats, CauseCatalogue causes)
    {
        var text = window ?? "1h";
        if (ParseWindow(text) is not { } span)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["window"] = ["A duration such as 15m, 1h or 2d, at most 7d."],
            });
        }

        OutcomeWindow outcomes;
        try
        {
            outcomes = await stats.ReadAsync(span);
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return Problems.StateStoreUnavailable("Diagnostics cannot be read now; retry shortly.");
        }

        return TypedResults.Ok(FailureReport.Build(text, outcomes, causes));
    }

    private static async Task<Results<Ok<RecentFailedReport>, ProblemHttpResult>> RecentFailedAsync(int? limit, PayoutStore store,
        CauseCatalogue causes)
    {
        if (limit is < 1 or > 100)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["limit"] = ["A whole number from 1 to 100."] });
        }

        try
        {
            var payouts = await store.RecentFailedAsync(limit ?? 20);
            return TypedResults.Ok(new RecentFailedReport([.. payouts.Select(p => OnCallView(p, causes))]));
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return Problems.StateStoreUnavailable("Diagnostics cannot be read now; retry shortly.");
        }
    }

    private static async Task<Results<Ok<OnCallPayoutResource>, ProblemHttpResult>> PayoutAsync(string id, PayoutStore store,
        CauseCatalogue causes)
    {
        if (!PayoutId.LooksValid(id))
        {
            return Problems.NotFound(id);
        }

        try
        {
            return await store.GetAsync(id) is { } stored ? TypedResults.Ok(OnCallView(stored.Payout, causes)) : Problems.NotFound(id);
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return Problems.StateStoreUnavailable("Diagnostics cannot be read now; retry shortly.");
        }
    }

    private static async Task<Results<Ok<PartnersReport>, ProblemHttpResult>> PartnersAsync(
        PartnerRegistry partners, OutcomeStats stats, PayoutStore store)
    {
        try
        {
            var recent = await stats.ReadAsync(PartnersReport.Span);
            var reports = new List<PartnerReport>();
            foreach (var partner in partners.Enabled)
            {
                var causes = await store.RecentFailuresAsync(partner.Name, 5);
                reports.Add(PartnerReport.Build(partner.Name, partner.Circuit.State, recent, partner.Stats, causes));
            }

            return TypedResults.Ok(new PartnersReport("15m", reports));
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return Problems.StateStoreUnavailable("Diagnostics cannot be read now; retry shortly.");
        }
    }

    /// <summary>The payout as on-call sees it: masked like a client's, plus who acts, what to do and its partner hops.</summary>
    private static OnCallPayoutResource OnCallView(PayoutRecord payout, CauseCatalogue causes) =>
        new(PayoutResource.From(payout), OnCallAdvice.For(payout, causes));

    internal static TimeSpan? ParseWindow(string text)
    {
        var match = WindowPattern().Match(text);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount == 0)
        {
            return null;
        }

        var span = match.Groups[2].Value switch
        {
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
        return span <= OutcomeStats.MaxWindow ? span : null;
    }

    [GeneratedRegex("^([0-9]{1,5})(m|h|d)$")]
    private static partial Regex WindowPattern();
}

public sealed record CategoryCount(string Category, long Count, string? LatestPayoutId);

public sealed record CauseCount(string Cause, string Category, string Owner, string Resubmit, long Count, string? LatestPayoutId, string? Action);

public sealed record PartnerCount(string Partner, long Count, string? LatestPayoutId);

public sealed record TimelinePoint(DateTimeOffset At, IReadOnlyDictionary<string, long> ByCause);

/// <summary>The answer of <c>GET /v1/diagnostics/failures</c>.</summary>
public sealed record FailureReport(
    string Window,
    DateTimeOffset From,
    DateTimeOffset To,
    long Total,
    IReadOnlyList<CategoryCount> ByCategory,
    IReadOnlyList<CauseCount> ByCause,
    IReadOnlyList<PartnerCount> ByPartner,
    int BucketMinutes,
    IReadOnlyList<TimelinePoint> Timeline)
{
    private const int TimelinePoints = 30;

    public static FailureReport Build(string window, OutcomeWindow outcomes, CauseCatalogue causes)
    {
        var failures = outcomes.Failures;
        static string? Latest(IEnumerable<FailureTally> tallies) =>
            tallies.Where(t => t.LatestPayoutId is not null).MaxBy(t => t.LatestMinute)?.LatestPayoutId;

        var byCategory = failures.GroupBy(f => f.Category)
            .Select(g => new CategoryCount(g.Key, g.Sum(f => f.Count), Latest(g)))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Category, StringComparer.Ordinal).ToList();
        var byCause = failures.GroupBy(f => f.Cause)
            .Select(g =>
            {
                var cause = causes.Contains(g.Key) ? causes[g.Key] : null;
                return new CauseCount(g.Key, cause?.Category ?? g.First().Category, cause?.Owner ?? "on_call",
                    cause?.Resubmit ?? "resubmit_after_fix", g.Sum(f => f.Count), Latest(g), cause?.Action);
            })
            .OrderByDescending(c => c.Count).ThenBy(c => c.Cause, StringComparer.Ordinal).ToList();
        var byPartner = failures.GroupBy(f => f.Partner)
            .Select(g => new PartnerCount(g.Key, g.Sum(f => f.Count), Latest(g)))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Partner, StringComparer.Ordinal).ToList();

        // About 30 points; when whole hours were read, a point is whole hours so no hour straddles two.
        var first = outcomes.FirstMinute;
        var last = outcomes.LastMinute;
        var bucket = Math.Max(1, (int)Math.Ceiling((last - first + 1) / (double)TimelinePoints));
        var origin = first;
        if (outcomes.Hourly)
        {
            bucket = (bucket + 59) / 60 * 60;
            origin = first / 60 * 60;
        }

        var points = new Dictionary<string, long>[(int)((last - origin) / bucket) + 1];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new Dictionary<string, long>(StringComparer.Ordinal);
        }

        foreach (var counted in outcomes.Buckets)
        {
            var sums = points[(int)((counted.StartMinute - origin) / bucket)];
            foreach (var (cause, count) in counted.ByCause)
            {
                sums[cause] = sums.GetValueOrDefault(cause) + count;
            }
        }

        var timeline = points.Select((sums, i) => new TimelinePoint(
            DateTimeOffset.FromUnixTimeSeconds(Math.Max(first, origin + ((long)i * bucket)) * 60), sums)).ToList();

        return new FailureReport(window, outcomes.From, outcomes.To, failures.Sum(f => f.Count),
            byCategory, byCause, byPartner, bucket, timeline);
    }
}

/// <summary>The answer of <c>GET /v1/diagnostics/failed-payouts</c>.</summary>
public sealed record RecentFailedReport(IReadOnlyList<OnCallPayoutResource> Items);

public sealed record RecentCause(string Cause, string PayoutId, DateTimeOffset At);

/// <summary>
/// One partner's health in <c>GET /v1/diagnostics/partners</c>. Counted per hop: every partner a
/// payout was attempted at (failover included) gets that attempt's outcome. <see cref="SuccessRate"/>
/// is <see cref="Succeeded"/> over <see cref="Succeeded"/> + <see cref="PartnerFailures"/> (the outcomes
/// the partner is answerable for); <see cref="BusinessRejections"/> (account, risk, regulatory,
/// funding...) are shown apart and never lower it. <see cref="Failed"/> is the older figure: payouts
/// that ended failed at this partner, whatever the cause.
/// </summary>
public sealed record PartnerReport(
    string Partner,
    string Circuit,
    long Attempts,
    long Succeeded,
    long PartnerFailures,
    long BusinessRejections,
    long Failed,
    double? SuccessRate,
    LatencySummary? DisburseLatency,
    LatencySummary? InquiryLatency,
    IReadOnlyList<RecentCause> RecentCauses)
{
    public static PartnerReport Build(string partner, string circuit, OutcomeWindow recent, PartnerCallStats calls, IReadOnlyList<string> causes)
    {
        var hops = recent.HopsByPartner.GetValueOrDefault(partner) ?? new HopCounts(0, 0, 0);
        var failed = recent.Failures.Where(f => f.Partner == partner).Sum(f => f.Count);
        var recentCauses = causes.Select(c => c.Split('|')).Where(p => p.Length == 3)
            .Select(p => new RecentCause(p[0], p[1], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(p[2], CultureInfo.InvariantCulture))))
            .ToList();
        return new PartnerReport(partner, circuit, hops.Attempts, hops.Ok, hops.PartnerFailures, hops.BusinessRejections, failed,
            hops.SuccessRate, calls.Summary(PartnerCallStats.Disburse), calls.Summary(PartnerCallStats.Inquiry), recentCauses);
    }
}

/// <summary>The answer of <c>GET /v1/diagnostics/partners</c>.</summary>
public sealed record PartnersReport(string Window, IReadOnlyList<PartnerReport> Partners)
{
    public static readonly TimeSpan Span = TimeSpan.FromMinutes(15);
}

/// <summary><c>GET /v1/diagnostics/webhooks</c>: the outbox's sizes and its latest dead letters, every client.</summary>
public sealed record WebhookReport(OutboxCounts Outbox, IReadOnlyList<WebhookDeadLetterReport> LatestDeadLetters);

/// <summary>One dead-lettered event for on-call (endpoint by name: no URL, no secret).</summary>
public sealed record WebhookDeadLetterReport(string Client, string EventId, string PayoutId, string Type, string Endpoint, int Attempts,
    DateTimeOffset RecordedAt, DateTimeOffset DeadLetteredAt);
