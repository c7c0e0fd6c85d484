using System.Globalization;
using LoadDriver.Timeline;

namespace ChaosSuite.Scenarios;

/// <summary>What a scenario did and when, printed with its verdict; and the fault windows, shaded in the HTML report.</summary>
internal sealed class FaultLog(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset At, string What)> _events = [];
    private readonly List<ShadedWindow> _windows = [];

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

    /// <summary>Records that fault <paramref name="name"/> was in effect from <paramref name="from"/> to <paramref name="to"/> (e.g. two <see cref="Note"/> times).</summary>
    public void Window(string name, DateTimeOffset from, DateTimeOffset to)
    {
        lock (_gate)
        {
            _windows.Add(new ShadedWindow(name, from, to));
        }
    }

    public IReadOnlyList<ShadedWindow> Windows()
    {
        lock (_gate)
        {
            return [.. _windows];
        }
    }

    public IReadOnlyList<string> Lines()
    {
        lock (_gate)
        {
            return _events.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.At:HH:mm:ss.fff} {e.What}")).ToList();
        }
    }
}
