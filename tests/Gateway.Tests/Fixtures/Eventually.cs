namespace Gateway.Tests.Fixtures;

/// <summary>Waits, bounded, for something a test caused to become true; fails the test naming what never happened.</summary>
public static class Eventually
{
    public static Task HoldsAsync(Func<bool> condition, string failure, TimeSpan? within = null) =>
        HoldsAsync(() => Task.FromResult(condition()), failure, within);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string failure, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(20);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < limit, failure);
            await Task.Delay(20);
        }
    }
}
