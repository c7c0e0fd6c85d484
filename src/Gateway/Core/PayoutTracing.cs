using System.Diagnostics;

namespace Gateway.Core;

/// <summary>
/// The gateway's own spans, one per payout stage, from the <see cref="SourceName"/> activity source:
/// <see cref="Claim"/> (the idempotent claim that records the payout), <see cref="Attempt"/> (one
/// disbursement call to a partner; the partner's HTTP call is its child), <see cref="Inquiry"/> (one
/// status inquiry), <see cref="Save"/> (a fenced write of the record) and <see cref="Recover"/> (a
/// payout taken over by the reconciler: a new trace, linked to the submission's). The submission itself
/// is the ASP.NET Core server span. With no listener (tracing not exported) every start returns null
/// and costs one check.
/// </summary>
public static class PayoutTracing
{
    public const string SourceName = "Gateway.Payouts";

    public const string Claim = "payout.claim";
    public const string Attempt = "payout.attempt";
    public const string Inquiry = "payout.inquiry";
    public const string Save = "payout.save";
    public const string Recover = "payout.recover";

    public const string PayoutIdTag = "payout.id";
    public const string PartnerTag = "payout.partner";
    public const string AttemptTag = "payout.attempt";
    public const string OutcomeTag = "payout.outcome";
    public const string StatusTag = "payout.status";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A stage span (<see cref="Claim"/>, <see cref="Save"/>) of one payout, child of the current span.</summary>
    public static Activity? Start(string name, string payoutId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(name);
        activity?.SetTag(PayoutIdTag, payoutId);
        return activity;
    }

    /// <summary>One partner call: an <see cref="Attempt"/> (a disbursement) or an <see cref="Inquiry"/>.</summary>
    /// <param name="number">The call's place in the payout's attempts (1-based), as the record lists them.</param>
    public static Activity? StartCall(bool disbursement, string payoutId, string partner, int number)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(disbursement ? Attempt : Inquiry, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(PayoutIdTag, payoutId);
            activity.SetTag(PartnerTag, partner);
            activity.SetTag(AttemptTag, number);
        }

        return activity;
    }

    /// <summary>Ends a stage with what it showed (a partner answer's label, a save's outcome).</summary>
    public static void Finish(Activity? activity, string outcome, bool failed = false)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(OutcomeTag, outcome);
        if (failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome);
        }

        activity.Dispose();
    }

    /// <summary>
    /// The W3C <c>traceparent</c> of the current span, to store with a new payout, when that span is
    /// recorded (a trace that is exported); null otherwise, so an untraced payout's record stays as small as before.
    /// </summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { Recorded: true, IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// A new root span for a payout the reconciler took over, linked to the submission's trace
    /// (<see cref="PayoutRecord.Trace"/>) when one was stored. The caller's current span, if any, is
    /// not its parent: recovery is work of its own, perhaps hours later, on another instance.
    /// </summary>
    public static Activity? StartRecovery(PayoutRecord payout)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityLink[]? links = payout.Trace is { } trace && ActivityContext.TryParse(trace, null, out var original)
            ? [new ActivityLink(original)]
            : null;
        var previous = Activity.Current;
        Activity.Current = null;
        var activity = Source.StartActivity(Recover, ActivityKind.Internal, default(ActivityContext),
            [new(PayoutIdTag, payout.Id), new(PartnerTag, payout.Partner)], links);
        if (activity is null)
        {
            Activity.Current = previous;
        }

        return activity;
    }
}
