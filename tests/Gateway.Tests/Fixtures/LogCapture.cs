using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Gateway.Tests.Fixtures;

/// <summary>Every Serilog event the gateway writes, rendered as a whole line with its properties.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public string AllText()
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var e in _events)
        {
            e.RenderMessage(writer, System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (name, value) in e.Properties)
            {
                writer.Write($" {name}={value}");
            }

            writer.WriteLine(e.Exception?.ToString());
        }

        return writer.ToString();
    }
}
