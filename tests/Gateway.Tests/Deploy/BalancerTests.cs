using System.Net;
using System.Text;
using Balancer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Deploy;

/// <summary>
/// tools/Balancer in front of two fake gateways, one of which is not ready: after the active
/// health check has seen it fail, every request goes to the ready one, with its headers and body
/// unchanged.
/// </summary>
public sealed class BalancerTests
{
    [Fact]
    public async Task Balancer_OneGatewayNotReady_SendsEveryRequestToTheReadyOneUnchanged()
    {
        await using var ready = await FakeGatewayAsync("ready", readyStatus: StatusCodes.Status200OK);
        await using var draining = await FakeGatewayAsync("draining", readyStatus: StatusCodes.Status503ServiceUnavailable);
        await using var balancer = BalancerApp.Create([
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default", "Warning",
            "--ReverseProxy:Clusters:gateways:HealthCheck:Active:Interval", "00:00:00.200",
            "--ReverseProxy:Clusters:gateways:Destinations:g1:Address", ready.Url,
            "--ReverseProxy:Clusters:gateways:Destinations:g2:Address", draining.Url,
        ]);
        await balancer.StartAsync();
        var url = balancer.Urls.Single();
        using var client = new HttpClient { BaseAddress = new Uri(url) };

        // Two consecutive failed probes take the draining one out.
        await WaitForAsync(async () => (await client.GetStringAsync(BalancerApp.HealthPath)).Contains("\"healthy\":1", StringComparison.Ordinal));

        const string body = """{"amount":"100.00","currency":"CNY"}""";
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payouts?x=1")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Api-Key", "sandbox-lender-key-not-secret");
            request.Headers.Add("Idempotency-Key", $"key-{i}");
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal("ready", Header(response, "X-Backend"));
            Assert.Equal("sandbox-lender-key-not-secret", Header(response, "X-Seen-Api-Key"));
            Assert.Equal($"key-{i}", Header(response, "X-Seen-Idempotency-Key"));
            Assert.Equal("/v1/payouts?x=1", Header(response, "X-Seen-Target"));
            Assert.Equal(body, await response.Content.ReadAsStringAsync());
        }

        using var health = await client.GetAsync(BalancerApp.HealthPath);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await balancer.StopAsync();
    }

    [Fact]
    public async Task BalancerHealth_NoDestinationReady_Answers503()
    {
        await using var draining = await FakeGatewayAsync("draining", readyStatus: StatusCodes.Status503ServiceUnavailable);
        await using var balancer = BalancerApp.Create([
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default", "Warning",
            "--ReverseProxy:Clusters:gateways:HealthCheck:Active:Interval", "00:00:00.200",
            "--ReverseProxy:Clusters:gateways:Destinations:g1:Address", draining.Url,
        ]);
        await balancer.StartAsync();
        var url = balancer.Urls.Single();
        using var client = new HttpClient { BaseAddress = new Uri(url) };

        await WaitForAsync(async () => (await client.GetAsync(BalancerApp.HealthPath)).StatusCode == HttpStatusCode.ServiceUnavailable);

        // HealthyOrPanic: with no healthy destination the gateways still answer for themselves.
        using var response = await client.GetAsync("/v1/payouts/po_x");
        Assert.Equal("draining", Header(response, "X-Backend"));
        await balancer.StopAsync();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the balancer's health checks did not settle within 15 s");
            await Task.Delay(100);
        }
    }

    /// <summary>Answers <c>/health/ready</c> with <paramref name="readyStatus"/>, and everything else by echoing the request.</summary>
    private static Task<FakeBackend> FakeGatewayAsync(string name, int readyStatus) => FakeBackend.StartAsync(app =>
    {
        app.MapGet("/health/ready", () => Results.StatusCode(readyStatus));
        app.Map("/{**path}", async (HttpContext context) =>
        {
            var headers = context.Response.Headers;
            headers["X-Backend"] = name;
            headers["X-Seen-Api-Key"] = context.Request.Headers["X-Api-Key"].ToString();
            headers["X-Seen-Idempotency-Key"] = context.Request.Headers["Idempotency-Key"].ToString();
            headers["X-Seen-Target"] = $"{context.Request.Path}{context.Request.QueryString}";
            context.Response.StatusCode = HttpMethods.IsPost(context.Request.Method) ? StatusCodes.Status201Created : StatusCodes.Status404NotFound;
            context.Response.ContentType = context.Request.ContentType ?? "text/plain";
            await context.Request.Body.CopyToAsync(context.Response.Body);
        });
    });
}
