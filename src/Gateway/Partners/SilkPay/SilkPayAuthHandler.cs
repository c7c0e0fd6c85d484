using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Gateway.Partners.SilkPay;

/// <summary>Adds <c>Authorization: Bearer &lt;SecretKey&gt;</c> to every SilkPay request.</summary>
public sealed class SilkPayAuthHandler(IOptions<SilkPayOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authorize(request, options.Value);
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>Sets the credentials in place; usable by a pass-through proxy too.</summary>
    public static void Authorize(HttpRequestMessage request, SilkPayOptions silkPay)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", silkPay.SecretKey);
        if (request.Headers.Accept.Count == 0)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }
    }
}
