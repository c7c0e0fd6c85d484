using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Simulators.Prb;

namespace Gateway.Tests.Partners.Prb;

/// <summary>The prb simulator's <see cref="PrbMode.SlowWithoutExecuting"/>: a late 500, nothing executed, the endToEndId unknown.</summary>
public sealed class PrbSimulatorHangTests
{
    private const string Token = "prb-token-for-simulator-tests-not-real";

    [Fact]
    public async Task Slow_without_executing_answers_late_and_keeps_nothing()
    {
        using var prb = PrbSimulator.Start(new PrbSimulatorOptions { Token = Token, SlowDelay = TimeSpan.FromSeconds(3) });
        prb.SetBehaviour("6222000011112222", new PrbBehaviour(PrbMode.SlowWithoutExecuting, Delay: TimeSpan.FromMilliseconds(400), Times: 1));
        using var http = new HttpClient { BaseAddress = new Uri(prb.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var started = DateTimeOffset.UtcNow;
        using var answer = await http.PostAsync(new Uri("/iso20022/v1/credit-transfers", UriKind.Relative), Transfer("e2e-hang-1"));
        var took = DateTimeOffset.UtcNow - started;
        using var status = await http.GetAsync(new Uri("/iso20022/v1/credit-transfers/e2e-hang-1/status", UriKind.Relative));
        using var again = await http.PostAsync(new Uri("/iso20022/v1/credit-transfers", UriKind.Relative), Transfer("e2e-hang-1"));

        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        Assert.True(took >= TimeSpan.FromMilliseconds(350), $"answered after {took.TotalMilliseconds:0} ms");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, prb.ExecutionCount("e2e-hang-1"));
    }

    private static StringContent Transfer(string endToEndId) => new(
        $$"""{"msgId":"m-{{endToEndId}}","endToEndId":"{{endToEndId}}","instdAmt":{"ccy":"CNY","value":"100.00"},"cdtr":{"nm":"Li Lei"},"cdtrAcct":{"id":"6222000011112222"},"cdtrAgt":{"bankCode":"ICBC"},"rmtInf":"test"}""",
        Encoding.UTF8, "application/json");
}
