using Gateway.Auth;
using Gateway.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy;

/// <summary>
/// Pass-through request bodies: at most <see cref="MaxBytes"/> for an endpoint that takes one,
/// none for the others. A declared <c>Content-Length</c> over the limit is refused before a byte
/// is read; a chunked body is read only until it passes the limit (and Kestrel's own limit is
/// lowered from 30 MB to twice this, for any other reader). Either way 413 and nothing forwarded — the body is buffered in full before
/// the partner is called, never streamed to it, and forwarded with an exact <c>Content-Length</c>.
/// </summary>
internal static class PassThroughBody
{
    /// <summary>16 KiB (payout-api.md "Partner pass-through").</summary>
    public const int MaxBytes = 16 * 1024;

    public static async Task EnforceAsync(HttpContext context, Func<Task> next)
    {
        var (partner, endpoint) = PassThroughRoute.Of(context);
        var limit = endpoint.TakesBody ? MaxBytes : 0;
        var request = context.Request;
        var chunked = request.Headers.TransferEncoding.Count > 0;
        if (request.ContentLength > limit)
        {
            await RefuseAsync(context, partner, limit);
            return;
        }

        if (!chunked && (request.ContentLength ?? 0) == 0)
        {
            await next();
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            // A backstop for any other reader: Kestrel's count runs ahead of the bytes handed out
            // (a chunked body of exactly the limit trips a limit set to it), so the exact bound is
            // the read below, which stops one read past the limit.
            size.MaxRequestBodySize = 2 * MaxBytes;
        }

        var body = new MemoryStream();
        context.Response.RegisterForDispose(body);
        if (!await TryReadAsync(request.Body, body, limit, context.RequestAborted))
        {
            await RefuseAsync(context, partner, limit);
            return;
        }

        body.Position = 0;
        request.Body = body;
        request.ContentLength = body.Length;
        request.Headers.Remove(HeaderNames.TransferEncoding);
        await next();
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes; false when the body is longer.</summary>
    private static async Task<bool> TryReadAsync(Stream from, MemoryStream to, int limit, CancellationToken cancellation)
    {
        var chunk = new byte[4096];
        try
        {
            int read;
            while ((read = await from.ReadAsync(chunk, cancellation)) > 0)
            {
                if (to.Length + read > limit)
                {
                    return false;
                }

                to.Write(chunk, 0, read);
            }

            return true;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return false;
        }
    }

    private static Task RefuseAsync(HttpContext context, string partner, int limit)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PassThroughBody));
        PassThroughLog.TooLarge(logger, partner, context.ClientName(), limit);
        return Problems.PayloadTooLarge(limit).ExecuteAsync(context);
    }
}
