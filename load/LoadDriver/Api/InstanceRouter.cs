using LoadDriver.Payouts;

namespace LoadDriver.Api;

/// <summary>
/// Which gateway instance a planned payout is sent to: round-robin by its index in the phase,
/// except that a duplicate never goes to the instance of its original (it takes the next one), so
/// one key reaches two instances and "one execution per key across instances" is exercised.
/// </summary>
public static class InstanceRouter
{
    public static int Route(PlannedPayout payout, int instances)
    {
        ArgumentNullException.ThrowIfNull(payout);
        ArgumentOutOfRangeException.ThrowIfLessThan(instances, 1);
        var instance = payout.Index % instances;
        return payout.DuplicateOf is { } original && instances > 1 && original % instances == instance
            ? (instance + 1) % instances
            : instance;
    }
}
