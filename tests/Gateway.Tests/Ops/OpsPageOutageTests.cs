using System.Net;
using Gateway.Tests.Fixtures;
using Orchestration;
using Microsoft.Playwright;
using Simulators.Ycb;

namespace Gateway.Tests.Ops;

/// <summary>
/// <c>/ops</c> in a real headless Chromium against a gateway process with a Redis of its own:
/// a quiet gateway (nothing failed yet), and that Redis stopped under it.
/// </summary>
[Collection("RedisOutage")]
public sealed class OpsPageOutageTests(OpsPageOutageTests.QuietGateway gateway, HeadlessChromium browser)
    : IClassFixture<OpsPageOutageTests.QuietGateway>, IClassFixture<HeadlessChromium>
{
    [Fact]
    public async Task OpsPage_NothingFailedYet_SaysSoInEverySection()
    {
        var (page, _) = await browser.OpenOpsAsync(gateway.Process.BaseUrl);

        await HeadlessChromium.EnterKeyAsync(page, GatewayFactory.OpsKey);

        await Expect(page.GetByTestId("failures-empty")).ToHaveTextAsync("No failed payouts in the last 1h.");
        await Expect(page.Locator("[data-testid=chart-segment]")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("causes-table")).ToContainTextAsync("No failures in this window.");
        await Expect(page.GetByTestId("failed-list")).ToHaveTextAsync("No failed payouts yet.");
        var ycb = page.Locator("[data-testid=partner-card][data-partner=ycb]");
        await Expect(ycb.Locator("[data-testid=circuit]")).ToHaveTextAsync("circuit closed");
        await Expect(ycb.Locator("[data-testid=success-rate]")).ToHaveTextAsync("no payouts");
    }

    [Fact]
    public async Task OpsPage_RedisDown_Shows503KeepsTheLastDataAndRecovers()
    {
        var (page, _) = await browser.OpenOpsAsync(gateway.Process.BaseUrl);
        await HeadlessChromium.EnterKeyAsync(page, GatewayFactory.OpsKey);

        await gateway.Redis.StopAsync();
        try
        {
            await page.GetByTestId("window-picker").GetByRole(AriaRole.Button, new() { Name = "6h" }).ClickAsync();

            await Expect(page.Locator("[data-testid=state][data-state=unavailable]")).ToContainTextAsync("503");
            await Expect(page.GetByTestId("notice")).ToContainTextAsync("state store (Redis) cannot be read");
            await Expect(page.GetByTestId("notice")).ToContainTextAsync("Showing data from");
            await Expect(page.Locator("[data-testid=dashboard][data-stale=true]")).ToBeVisibleAsync();
        }
        finally
        {
            await gateway.Redis.StartAsync();
        }

        await gateway.WaitReadyAsync();
        await page.GetByTestId("window-picker").GetByRole(AriaRole.Button, new() { Name = "1h" }).ClickAsync();
        await Expect(page.Locator("[data-testid=state][data-state=ok]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("notice")).ToBeHiddenAsync();
        await Expect(page.Locator("[data-testid=dashboard][data-stale=true]")).ToHaveCountAsync(0);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    /// <summary>A ycb simulator, a Redis of its own (so a test may stop it) and the gateway process, with no payouts.</summary>
    public sealed class QuietGateway : IAsyncLifetime
    {
        private YcbSimulator _ycb = null!;

        public RedisServer Redis { get; private set; } = null!;

        public GatewayProcess Process { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Redis = await RedisServer.StartNewAsync();
            _ycb = YcbSimulator.Start();
            Process = await GatewayProcesses.StartAsync(GatewayFactory.Settings(Redis.ConnectionString, _ycb.Url));
        }

        /// <summary>Until <c>/health/ready</c> answers 200 again (bounded).</summary>
        public async Task WaitReadyAsync()
        {
            using var client = Process.ClientFor();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while ((await client.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the gateway did not reconnect to Redis within 30 s");
                await Task.Delay(100);
            }
        }

        public async Task DisposeAsync()
        {
            await Process.DisposeAsync();
            _ycb.Dispose();
            await Redis.DisposeAsync();
        }
    }
}
