using System.Net.Sockets;
using System.Threading.RateLimiting;
using Gateway.Core;
using Gateway.Partners;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Gateway.Tests.Partners;

/// <summary>
/// How a call that got no answer is read. For a disbursement a refused connection or an open
/// circuit proves nothing was sent; for an inquiry no transport failure proves anything about the
/// payout: every one is an unknown outcome, so the payout is asked about again and never failed
/// (or failed over) on a question that did not get through.
/// </summary>
public sealed class InquiryFailureTests
{
    public static TheoryData<string> Failures() => [.. Exceptions.Keys];

    private static readonly Dictionary<string, Exception> Exceptions = new(StringComparer.Ordinal)
    {
        ["connection refused"] = new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)),
        ["connection reset"] = new HttpRequestException(HttpRequestError.ResponseEnded, "reset"),
        ["circuit open"] = new BrokenCircuitException(),
        ["quota"] = new RateLimiterRejectedException(),
        ["timeout"] = new TimeoutRejectedException(),
        ["malformed"] = new PartnerMalformedResponseException("truncated", 200),
        ["anything else"] = new InvalidOperationException("?"),
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void AnInquiryWithoutAnAnswer_IsAnUnknownOutcome(string failure)
    {
        var answer = PartnerCalls.FromInquiryException(Exceptions[failure]);

        Assert.Equal(PartnerOutcome.Unknown, answer.Outcome);
    }

    [Theory]
    [InlineData("connection refused")]
    [InlineData("circuit open")]
    [InlineData("quota")]
    public void ADisbursementThatCouldNotLeave_ProvesNothingWasSent(string failure)
    {
        Assert.Equal(PartnerOutcome.NotExecuted, PartnerCalls.FromException(Exceptions[failure]).Outcome);
    }
}
