namespace Simulators.Ycb;

/// <summary>How a disbursement request is answered, once the bank has done what it does with it.</summary>
internal enum YcbDelivery
{
    /// <summary>HTTP 200 with <see cref="YcbDecision.Reply"/>.</summary>
    Answer,

    /// <summary>The connection is closed without an answer.</summary>
    Drop,

    /// <summary>HTTP 200 with a truncated JSON body.</summary>
    Malformed,

    /// <summary>HTTP 500.</summary>
    ServerError,
}

/// <summary>The answer to send, and how long to wait before sending it.</summary>
internal sealed record YcbDecision(YcbDelivery Delivery, YcbReply? Reply, TimeSpan Delay)
{
    public static YcbDecision Answer(YcbReply reply, TimeSpan delay = default) => new(YcbDelivery.Answer, reply, delay);
}
