using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy;

/// <summary>
/// YARP's client to the partners, without trace-context propagation: the caller may choose the
/// incoming <c>traceparent</c>, and pass-through hands a partner nothing of the caller's but
/// <c>Content-Type</c> and <c>Accept</c>. (The gateway's own disbursement clients are separate.)
/// </summary>
internal sealed class PassThroughHttpClientFactory : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ActivityHeadersPropagator = null;
    }
}
