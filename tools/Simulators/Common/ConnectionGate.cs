using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Simulators.Common;

/// <summary>
/// ASP.NET Core middleware placed in front of WireMock's own for one listening period: it holds
/// requests until the mappings are registered (so a restarted simulator never answers 404 while
/// it is coming up) and remembers the current connection, so a response callback can drop it
/// without any HTTP answer (WireMock's <c>FaultType</c> still sends a status line). It also
/// records every request that arrives (<see cref="ReceivedRequests"/>).
/// </summary>
internal sealed class ConnectionGate(ReceivedRequests received)
{
    private readonly AsyncLocal<HttpContext?> _current = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>For <c>WireMockServerSettings.PreWireMockMiddlewareInit</c>.</summary>
    public void Install(object applicationBuilder)
    {
        var app = (IApplicationBuilder)applicationBuilder;
        app.Use(async (context, next) =>
        {
            received.Record(context);
            await _ready.Task.WaitAsync(context.RequestAborted);
            _current.Value = context;
            try
            {
                await next(context);
            }
            finally
            {
                _current.Value = null;
            }
        });
    }

    /// <summary>Lets the held requests through: the mappings are in place.</summary>
    public void Open() => _ready.TrySetResult();

    /// <summary>Aborts the TCP connection of the request being answered on this async flow.</summary>
    public void DropCurrentConnection() => _current.Value?.Abort();
}
