using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.Partners.Ycb;

/// <summary>
/// Signs every ycb request: <c>X-YCB-AppId</c> and <c>X-YCB-Signature</c>, the lowercase hex
/// HMAC-SHA256 (key = AppSecret) of the exact body bytes, or of the path for a bodiless request.
/// The body is buffered once and sent as those same bytes, so what is signed is what is sent.
/// </summary>
public sealed class YcbSignatureHandler(IOptions<YcbOptions> options) : DelegatingHandler
{
    public const string AppIdHeader = "X-YCB-AppId";
    public const string SignatureHeader = "X-YCB-Signature";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await SignAsync(request, options.Value, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>Signs a request in place.</summary>
    public static async Task SignAsync(HttpRequestMessage request, YcbOptions ycb, CancellationToken cancellationToken)
    {
        byte[] signed;
        if (request.Content is null)
        {
            signed = Encoding.UTF8.GetBytes(request.RequestUri!.AbsolutePath);
        }
        else
        {
            signed = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var buffered = new ByteArrayContent(signed);
            foreach (var header in request.Content.Headers)
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            buffered.Headers.ContentLength = signed.Length;
            request.Content = buffered;
        }

        request.Headers.Remove(AppIdHeader);
        request.Headers.Remove(SignatureHeader);
        request.Headers.TryAddWithoutValidation(AppIdHeader, ycb.AppId);
        request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(signed, ycb.AppSecret));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public static string Sign(ReadOnlySpan<byte> data, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));
}
