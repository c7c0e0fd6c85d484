using System.Globalization;
using LoadDriver.Checks;
using LoadDriver.Timeline;

namespace ChaosSuite.Scenarios;

/// <summary>
/// What a scenario did and when, printed with its verdict; and its declared faults: each one's
/// window, the causes it may give a payout and the grace after it (<see cref="FaultWindow"/>, judged
/// by the checks through <see cref="Policy"/>), shaded in the HTML report. Each event is also written to
/// <paramref name="output"/> as it happens (the scenario's output: its lane's buffer when lanes run side by side).
/// </summary>
internal sealed class FaultLog(TimeProvider time, TextWriter output)
{
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset At, string What)> _events = [];
    private readonly List<FaultWindow> _windows = [];

    public DateTimeOffset Note(string what)
    {
        var at = time.GetUtcNow();
        lock (_gate)
        {
            _events.Add((at, what));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {at:HH:mm:ss.fff} {what}"));
        return at;
    }

    /// <summary>
    /// Declares that fault <paramref name="name"/> was in effect from <paramref name="from"/> to
    /// <paramref name="to"/> (e.g. two <see cref="Note"/> times): a payout submitted in it, or within
    /// <paramref name="grace"/> after, may end failed with one of <paramref name="mayCause"/> (or, when
    /// <paramref name="mayFailOver"/>, succeed at another partner) instead of as its kind expects.
    /// </summary>
    public void Window(string name, DateTimeOffset from, DateTimeOffset to, IEnumerable<string> mayCause, TimeSpan grace,
        bool mayFailOver = true)
    {
        var window = new FaultWindow(name, from, to, mayCause.ToHashSet(StringComparer.Ordinal), grace) { MayFailOver = mayFailOver };
        lock (_gate)
        {
            _windows.Add(window);
        }
    }

    /// <summary>The declared faults so far.</summary>
    public IReadOnlyList<FaultWindow> Declared()
    {
        lock (_gate)
        {
            return [.. _windows];
        }
    }

    /// <summary>The declared faults as the report shades them.</summary>
    public IReadOnlyList<ShadedWindow> Windows() => [.. Declared().Select(w => new ShadedWindow(w.Name, w.From, w.To))];

    /// <summary><paramref name="policy"/> with this log's declared faults added when the checks run.</summary>
    public CheckPolicy Policy(CheckPolicy policy) => policy with { DeclaredDuringRun = Declared };

    public IReadOnlyList<string> Lines()
    {
        lock (_gate)
        {
            return _events.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.At:HH:mm:ss.fff} {e.What}")).ToList();
        }
    }
}
