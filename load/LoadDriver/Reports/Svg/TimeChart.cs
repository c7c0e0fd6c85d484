using System.Globalization;
using System.Text;
using LoadDriver.Timeline;
using static LoadDriver.Reports.Svg.Markup;

namespace LoadDriver.Reports.Svg;

/// <summary>
/// One inline SVG chart over the run's time axis (seconds since the start): the fault windows
/// shaded and labelled behind the data, a dashed line where the steady phase starts, a linear or
/// logarithmic y axis, lines, stacked bars, horizontal bands (one row each); the legend is HTML (<see cref="LegendHtml"/>).
/// Every text is escaped.
/// </summary>
internal sealed class TimeChart
{
    public const double Width = 960;
    private const double Left = 64, Right = 16, Top = 28, Bottom = 34;

    private readonly StringBuilder _data = new();
    private readonly List<(string Label, string Color)> _legend = [];
    private readonly string _title;
    private readonly double _length;
    private readonly double _height;
    private readonly double _yMin;
    private readonly double _yMax;
    private readonly bool _log;
    private readonly string _yLabel;
    private static readonly int[] TickSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
    private static readonly double[] NiceMultiples = [1, 2, 2.5, 5, 10];
    private IReadOnlyList<string> _rows = [];

    /// <param name="length">Seconds on the x axis (at least 1).</param>
    /// <param name="yMax">Top of the y axis; on a log axis rounded up to a power of ten.</param>
    /// <param name="log">A log₁₀ y axis from <paramref name="yMin"/> (a power of ten) up.</param>
    public TimeChart(string title, double length, double yMax, string yLabel, bool log = false, double yMin = 0, double height = 200)
    {
        _title = title;
        _length = Math.Max(1, length);
        _log = log;
        _yLabel = yLabel;
        _height = height;
        if (log)
        {
            _yMin = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(yMin, 1e-3))));
            _yMax = Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(yMax, _yMin * 10))));
        }
        else
        {
            _yMin = 0;
            _yMax = NiceCeiling(Math.Max(yMax, 1));
        }
    }

    private const double PlotWidth = Width - Left - Right;

    private double PlotHeight => _height - Top - Bottom;

    public double X(double second) => Left + Math.Clamp(second, 0, _length) / _length * PlotWidth;

    public double Y(double value)
    {
        double share;
        if (_log)
        {
            var v = Math.Clamp(value, _yMin, _yMax);
            share = (Math.Log10(v) - Math.Log10(_yMin)) / (Math.Log10(_yMax) - Math.Log10(_yMin));
        }
        else
        {
            share = Math.Clamp(value, 0, _yMax) / _yMax;
        }

        return Top + PlotHeight * (1 - share);
    }

    /// <summary>A polyline through (second, value) points, each drawn at the middle of its second.</summary>
    public TimeChart Line(string label, string color, IEnumerable<(int Second, double Value)> points)
    {
        var coordinates = string.Join(' ', points.Select(p => $"{N(X(p.Second + 0.5))},{N(Y(p.Value))}"));
        _data.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\" points=\"{coordinates}\"><title>{Escape(label)}</title></polyline>");
        _legend.Add((label, color));
        return this;
    }

    /// <summary>Bars stacked bottom-up in one second; each part has a tooltip.</summary>
    public TimeChart Stack(int second, IEnumerable<(double Value, string Color, string Title)> parts)
    {
        var bottom = 0.0;
        var x = X(second) + 0.5;
        var width = Math.Max(0.5, X(second + 1) - X(second) - 1);
        foreach (var (value, color, title) in parts.Where(p => p.Value > 0))
        {
            var top = bottom + value;
            _data.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{N(x)}\" y=\"{N(Y(top))}\" width=\"{N(width)}\" height=\"{N(Y(bottom) - Y(top))}\" fill=\"{color}\"><title>{Escape(title)}</title></rect>");
            bottom = top;
        }

        return this;
    }

    /// <summary>Names the rows of a band chart (top to bottom); use with <see cref="Band"/>.</summary>
    public TimeChart Rows(IReadOnlyList<string> rows)
    {
        _rows = rows;
        return this;
    }

    /// <summary>A horizontal band in row <paramref name="row"/> of <see cref="Rows"/> from one second to another.</summary>
    public TimeChart Band(int row, double from, double to, string color, string title)
    {
        var rowHeight = PlotHeight / Math.Max(1, _rows.Count);
        _data.Append(CultureInfo.InvariantCulture, $"<rect class=\"band\" x=\"{N(X(from))}\" y=\"{N(Top + row * rowHeight + 3)}\" width=\"{N(Math.Max(0.5, X(to) - X(from)))}\" height=\"{N(rowHeight - 6)}\" fill=\"{color}\"><title>{Escape(title)}</title></rect>");
        return this;
    }

    public TimeChart Legend(string label, string color)
    {
        _legend.Add((label, color));
        return this;
    }

    /// <summary>A line of text in the middle of the plot (e.g. why there is no data).</summary>
    public TimeChart Message(string text)
    {
        _data.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left + PlotWidth / 2)}\" y=\"{N(Top + PlotHeight / 2)}\" text-anchor=\"middle\" class=\"message\">{Escape(text)}</text>");
        return this;
    }

    public string Render(IReadOnlyList<TimelineWindow> windows, double steadyStartsAt)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(Width)}\" height=\"{N(_height)}\" viewBox=\"0 0 {N(Width)} {N(_height)}\" role=\"img\" aria-label=\"{Escape(_title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left)}\" y=\"16\" class=\"title\">{Escape(_title)}</text>");
        foreach (var w in windows)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"fault\" x=\"{N(X(w.From))}\" y=\"{N(Top)}\" width=\"{N(Math.Max(1, X(w.To) - X(w.From)))}\" height=\"{N(PlotHeight)}\" fill=\"#f4b4b4\" fill-opacity=\"0.45\"><title>{Escape(w.Name)}: {N(w.From)} s to {N(w.To)} s</title></rect>");
        }

        AppendYAxis(svg);
        AppendXAxis(svg);
        if (steadyStartsAt > 0 && steadyStartsAt < _length)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(X(steadyStartsAt))}\" y1=\"{N(Top)}\" x2=\"{N(X(steadyStartsAt))}\" y2=\"{N(Top + PlotHeight)}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(X(steadyStartsAt) + 3)}\" y=\"{N(Top + PlotHeight - 4)}\" class=\"small\">steady</text>");
        }

        svg.Append(_data);
        foreach (var w in windows)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(X(w.From) + 2)}\" y=\"{N(Top + 11)}\" class=\"fault-label\">{Escape(w.Name)}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The legend as HTML (coloured squares and escaped labels), to follow the chart; it wraps with the page.</summary>
    public string LegendHtml() =>
        _legend.Count == 0 ? "" : "<div class=\"legend\">" + string.Concat(_legend.Select(l =>
            $"<span><i style=\"background:{l.Color}\"></i>{Escape(l.Label)}</span>")) + "</div>";

    private void AppendXAxis(StringBuilder svg)
    {
        var bottom = Top + PlotHeight;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(Left)}\" y1=\"{N(bottom)}\" x2=\"{N(Left + PlotWidth)}\" y2=\"{N(bottom)}\" stroke=\"#333\"/>");
        var step = TickSteps.FirstOrDefault(s => _length / s <= 16, 7200);
        for (var s = 0; s <= _length + 1e-9; s += step)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(X(s))}\" y1=\"{N(bottom)}\" x2=\"{N(X(s))}\" y2=\"{N(bottom + 4)}\" stroke=\"#333\"/><text x=\"{N(X(s))}\" y=\"{N(bottom + 16)}\" text-anchor=\"middle\" class=\"small\">{s}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left + PlotWidth)}\" y=\"{N(bottom + 30)}\" text-anchor=\"end\" class=\"small\">seconds since start</text>");
    }

    private void AppendYAxis(StringBuilder svg)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(Left)}\" y1=\"{N(Top)}\" x2=\"{N(Left)}\" y2=\"{N(Top + PlotHeight)}\" stroke=\"#333\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(12 {N(Top + PlotHeight / 2)}) rotate(-90)\" text-anchor=\"middle\" class=\"small\">{Escape(_yLabel)}</text>");
        if (_rows.Count > 0)
        {
            var rowHeight = PlotHeight / _rows.Count;
            for (var i = 0; i < _rows.Count; i++)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left - 4)}\" y=\"{N(Top + (i + 0.5) * rowHeight + 4)}\" text-anchor=\"end\" class=\"small\">{Escape(_rows[i])}</text>");
            }

            return;
        }

        var ticks = _log
            ? Enumerable.Range(0, (int)Math.Round(Math.Log10(_yMax / _yMin)) + 1).Select(i => _yMin * Math.Pow(10, i))
            : Enumerable.Range(0, 5).Select(i => _yMax * i / 4);
        foreach (var tick in ticks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(Left)}\" y1=\"{N(Y(tick))}\" x2=\"{N(Left + PlotWidth)}\" y2=\"{N(Y(tick))}\" stroke=\"#ddd\"/><text x=\"{N(Left - 4)}\" y=\"{N(Y(tick) + 4)}\" text-anchor=\"end\" class=\"small\">{Tick(tick)}</text>");
        }
    }

    private static string Tick(double value) => value >= 1 ? N(Math.Round(value, 1)) : value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>1, 2, 2.5 or 5 times a power of ten, at least <paramref name="value"/>.</summary>
    internal static double NiceCeiling(double value)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return NiceMultiples.Select(m => m * power).First(c => c >= value - 1e-9);
    }
}
