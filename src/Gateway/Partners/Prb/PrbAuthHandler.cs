using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Gateway.Partners.Prb;

/// <summary>Adds <c>Authorization: Bearer &lt;Token&gt;</c> to every prb request.</summary>
public sealed class PrbAuthHandler(IOptions<PrbOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.Token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return base.SendAsync(request, cancellationToken);
    }
}
