using System.Net;

namespace Gateway.Benchmarks.Partners;

/// <summary>The innermost handler: answers 200 at once, so a send measures the handlers above it, not a network.</summary>
internal sealed class CannedResponseHandler : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
}
