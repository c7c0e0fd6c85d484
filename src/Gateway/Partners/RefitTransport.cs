using System.Runtime.ExceptionServices;
using Refit;

namespace Gateway.Partners;

/// <summary>
/// Refit (10 and later) wraps failures before any answer (a refused connection, a reset, a
/// cancelled send) in <see cref="ApiRequestException"/>, and for <c>IApiResponse</c> methods
/// returns it in <c>Error</c> instead of throwing. The gateway's reading of a call needs the
/// original exception: a refused connection proves nothing was sent, a cancellation by the
/// attempt timeout is a timeout. This puts it back.
/// </summary>
internal static class RefitTransport
{
    /// <summary>Rethrows the transport failure a Refit response carries, if it carries one.</summary>
    public static void ThrowIfNotAnswered(IApiResponse response)
    {
        if (response.Error is ApiRequestException { InnerException: { } inner })
        {
            ExceptionDispatchInfo.Throw(inner);
        }
    }

    /// <summary>The exception as the pipeline should see it.</summary>
    public static Exception Unwrap(Exception exception) =>
        exception is ApiRequestException { InnerException: { } inner } ? inner : exception;
}
