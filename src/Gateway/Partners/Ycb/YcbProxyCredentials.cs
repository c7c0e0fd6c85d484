using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Partners.Ycb;

/// <summary>
/// ycb pass-through: the balance and the account check only (partners.md §1 "Pass-through
/// APIs"; never <c>/api/v2/disburse</c> or its inquiry), with the same signing headers as the
/// adapter, computed over the exact body bytes for a request with a body and over the request
/// path otherwise.
/// </summary>
internal sealed class YcbProxyCredentials(IOptions<YcbOptions> options) : IPartnerProxyCredentials
{
    public string HealthPath => "/api/v2/health";

    public IReadOnlyList<PassThroughEndpoint> AllowList { get; } =
    [
        new("GET", "/api/v2/accounts/balance"),
        new("POST", "/api/v2/accounts/verify"),
    ];

    public async ValueTask ApplyAsync(RequestTransformContext context)
    {
        var ycb = options.Value;
        var request = context.HttpContext.Request;
        byte[] signed;
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            // The body is already buffered (at most 16 KiB, PassThroughBody): read it once, sign
            // it, and put the same bytes back for the forwarder to send.
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.CancellationToken);
            signed = buffer.ToArray();
            var replay = new MemoryStream(signed);
            context.HttpContext.Response.RegisterForDispose(replay);
            request.Body = replay;
            if (context.ProxyRequest.Content is { } content)
            {
                content.Headers.ContentLength = signed.Length;
            }
        }
        else
        {
            // The path as the partner receives it: the base URL's own path, then the route's remainder.
            var prefix = new Uri(context.DestinationPrefix).AbsolutePath.TrimEnd('/');
            signed = System.Text.Encoding.UTF8.GetBytes(prefix + context.Path.Value);
        }

        var headers = context.ProxyRequest.Headers;
        headers.Remove(YcbSignatureHandler.AppIdHeader);
        headers.Remove(YcbSignatureHandler.SignatureHeader);
        headers.TryAddWithoutValidation(YcbSignatureHandler.AppIdHeader, ycb.AppId);
        headers.TryAddWithoutValidation(YcbSignatureHandler.SignatureHeader, YcbSignatureHandler.Sign(signed, ycb.AppSecret!));
    }
}
