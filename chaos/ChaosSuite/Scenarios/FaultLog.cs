using System.Globalization;

namespace ChaosSuite.Scenarios;

/// <summary>What a scenario did and when, printed with its verdict.</summary>
internal sealed class FaultLog(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset At, string What)> _events = [];

    public DateTimeOffset Note(string what)
    {
        var at = time.GetUtcNow();
        lock (_gate)
        {
            _events.Add((at, what));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {at:HH:mm:ss.fff} {what}"));
        return at;
    }

    public IReadOnlyList<string> Lines()
    {
        lock (_gate)
        {
            return _events.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.At:HH:mm:ss.fff} {e.What}")).ToList();
        }
    }
}
