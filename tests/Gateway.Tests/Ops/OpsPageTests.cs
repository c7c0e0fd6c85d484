using Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace Gateway.Tests.Ops;

/// <summary>
/// <c>/ops</c> in a real headless Chromium against the real gateway process: what an on-call
/// engineer sees after entering a key, with a seeded set of failures.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OpsPageTests(RedisFixture redis, OpsGateway gateway, HeadlessChromium browser)
    : IClassFixture<OpsGateway>, IClassFixture<HeadlessChromium>
{
    [Fact]
    public async Task OpsPage_WithSeededFailures_ChartsCausesAndShowsWhomToCall()
    {
        await gateway.StartAsync(redis);
        var (page, requests) = await OpenAsync();

        await EnterKeyAsync(page, GatewayFactory.OpsKey);

        foreach (var cause in new[] { "ACCOUNT_FROZEN", "RISK_DECLINED" })
        {
            Assert.True(await page.Locator($"[data-testid=chart] svg rect[data-testid=chart-segment][data-cause={cause}]").CountAsync() >= 1,
                $"no chart segment for {cause}");
            await Expect(page.Locator($"[data-testid=chart-legend] [data-cause={cause}]")).ToContainTextAsync(cause);
        }

        var frozenSegments = await page.Locator("[data-testid=chart-segment][data-cause=ACCOUNT_FROZEN]").EvaluateAllAsync<int>(
            "nodes => nodes.reduce((sum, n) => sum + Number(n.getAttribute('data-count')), 0)");
        Assert.Equal(2, frozenSegments);
        await Expect(page.Locator("[data-testid=chart-y-label]")).ToHaveTextAsync("failed payouts");
        await Expect(page.Locator("[data-testid=chart-x-label]")).ToContainTextAsync("window 1h");
        await Expect(page.Locator("[data-testid=failures-empty]")).ToBeHiddenAsync();

        var frozen = page.Locator("[data-testid=cause-row][data-cause=ACCOUNT_FROZEN]");
        await Expect(frozen.Locator("[data-testid=cause-count]")).ToHaveTextAsync("2");
        await Expect(frozen.Locator("[data-testid=cause-owner]")).ToContainTextAsync("borrower");
        var risk = page.Locator("[data-testid=cause-row][data-cause=RISK_DECLINED]");
        await Expect(risk.Locator("[data-testid=cause-count]")).ToHaveTextAsync("1");
        await Expect(risk.Locator("[data-testid=cause-owner]")).ToContainTextAsync("risk");
        await Expect(page.Locator("[data-testid=partner-failure-row][data-partner=ycb] td").Nth(1)).ToHaveTextAsync("3");

        await page.GetByTestId("window-picker").GetByRole(AriaRole.Button, new() { Name = "15m" }).ClickAsync();
        await Expect(page.Locator("[data-testid=chart-x-label]")).ToContainTextAsync("window 15m");
        await Expect(page.Locator("[data-testid=cause-row][data-cause=ACCOUNT_FROZEN] [data-testid=cause-count]")).ToHaveTextAsync("2");

        Assert.All(requests, url => Assert.StartsWith(gateway.Process.BaseUrl + "/", url, StringComparison.Ordinal));
        Assert.Contains(requests, url => url.Contains("/v1/diagnostics/failures?window=1h", StringComparison.Ordinal));
        Assert.Contains(requests, url => url.Contains("/v1/diagnostics/failures?window=15m", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpsPage_WithSeededPayouts_ShowsYcbHealthAndLatestFailureSummaries()
    {
        await gateway.StartAsync(redis);
        var (page, _) = await OpenAsync();

        await EnterKeyAsync(page, GatewayFactory.OpsKey);

        var ycb = page.Locator("[data-testid=partner-card][data-partner=ycb]");
        await Expect(ycb.Locator("[data-testid=circuit]")).ToHaveTextAsync("circuit closed");
        await Expect(ycb.Locator("[data-testid=circuit]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("circuit-closed"));
        // Frozen accounts and a risk decline are business rejections: they never lower ycb's success rate.
        Assert.DoesNotContain(gateway.Seeded.Failed, p => p.Cause!.StartsWith("PARTNER_", StringComparison.Ordinal));
        await Expect(ycb.Locator("[data-testid=success-rate]")).ToHaveTextAsync("100.0 %");
        await Expect(ycb.Locator("[data-testid=partner-outcomes]")).ToHaveTextAsync(gateway.Seeded.Succeeded.Count + " / 0");
        await Expect(ycb.Locator("[data-testid=business-rejections]")).ToHaveTextAsync(gateway.Seeded.Failed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(ycb.Locator("[data-testid=disburse-latency]")).ToContainTextAsync(" ms");
        await Expect(ycb.Locator("[data-testid=recent-causes] li")).ToHaveCountAsync(gateway.Seeded.Failed.Count);

        foreach (var failed in gateway.Seeded.Failed)
        {
            var item = page.Locator($"[data-testid=failed-item][data-payout={failed.Id}]");
            await Expect(item.Locator("[data-testid=failed-summary]")).ToHaveTextAsync(failed.Summary!);
            await Expect(item.Locator("[data-testid=failed-cause]")).ToHaveTextAsync(failed.Cause!);
        }

        // No client has a webhook here: the outbox panel says it is empty.
        await Expect(page.Locator("[data-testid=webhooks-counts]")).ToHaveTextAsync("0 not yet delivered · 0 waiting for a retry · 0 dead-lettered");
        await Expect(page.Locator("[data-testid=webhooks-empty]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task OpsPage_ClickAFailure_ShowsThatPayoutsDetailWithMarkupAsText()
    {
        await gateway.StartAsync(redis);
        var (page, _) = await OpenAsync();
        await EnterKeyAsync(page, GatewayFactory.OpsKey);
        var risk = gateway.Seeded.Failed.Single(p => p.Cause == "RISK_DECLINED");

        await page.Locator($"[data-testid=failed-item][data-payout={risk.Id}] [data-testid=failed-link]").ClickAsync();

        var detail = page.Locator($"[data-testid=payout-detail][data-payout={risk.Id}][data-state=ok]");
        await Expect(detail.Locator("[data-testid=detail-id]")).ToHaveTextAsync(risk.Id);
        await Expect(detail.Locator("[data-testid=detail-cause]")).ToHaveTextAsync("RISK_DECLINED");
        await Expect(detail.Locator("[data-testid=detail-status]")).ToHaveTextAsync("failed");
        await Expect(detail.Locator("[data-testid=detail-summary]")).ToHaveTextAsync(risk.Summary!);
        await Expect(detail.Locator("[data-testid=detail-owner]")).ToContainTextAsync("risk");
        await Expect(detail.Locator("[data-testid=detail-action]")).ToHaveTextAsync(RiskAction);
        await Expect(detail.Locator("[data-testid=detail-hop][data-partner=ycb]")).ToHaveAttributeAsync("data-kind", "business");
        Assert.EndsWith("#payout/" + risk.Id, page.Url, StringComparison.Ordinal);
        // The loan id is markup: shown as text, never parsed into an element.
        await Expect(detail).ToContainTextAsync(OpsGateway.MarkupLoanId);
        await Expect(page.Locator("[data-testid=injected]")).ToHaveCountAsync(0);
    }

    /// <summary>The on-call action causes.json gives RISK_DECLINED.</summary>
    private static string RiskAction =>
        Gateway.Diagnosis.CauseCatalogue.Load(Gateway.Diagnosis.CauseCatalogue.DefaultPath)["RISK_DECLINED"].Action!;

    [Fact]
    public async Task OpsPage_LinkToAPayout_OpensItsDetailOnceAKeyIsGiven()
    {
        await gateway.StartAsync(redis);
        var frozen = gateway.Seeded.Failed.First(p => p.Cause == "ACCOUNT_FROZEN");
        var (page, _) = await OpenAsync("#payout/" + frozen.Id);

        await EnterKeyAsync(page, GatewayFactory.OpsKey);

        var detail = page.Locator($"[data-testid=payout-detail][data-payout={frozen.Id}][data-state=ok]");
        await Expect(detail.Locator("[data-testid=detail-id]")).ToHaveTextAsync(frozen.Id);
        await Expect(detail.Locator("[data-testid=detail-cause]")).ToHaveTextAsync("ACCOUNT_FROZEN");
    }

    [Fact]
    public async Task OpsPage_WrongKey_ShowsTheUnauthorizedStateAndAsksAgain()
    {
        await gateway.StartAsync(redis);
        var (page, _) = await OpenAsync();

        await page.GetByTestId("key-input").FillAsync("not-a-configured-key");
        await page.GetByTestId("key-submit").ClickAsync();

        await Expect(page.Locator("[data-testid=state][data-state=unauthorized]")).ToContainTextAsync("401");
        await Expect(page.Locator("[data-testid=notice]")).ToContainTextAsync("refused that on-call key");
        await Expect(page.GetByTestId("dashboard")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("key-input")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('gateway.ops.apiKey')"));
    }

    [Fact]
    public async Task OpsPage_ClientKey_IsRefused403AndAsksForAnOnCallKey()
    {
        await gateway.StartAsync(redis);
        var (page, _) = await OpenAsync();

        await page.GetByTestId("key-input").FillAsync(GatewayFactory.KeyA);
        await page.GetByTestId("key-submit").ClickAsync();

        await Expect(page.Locator("[data-testid=state][data-state=unauthorized]")).ToContainTextAsync("403");
        await Expect(page.Locator("[data-testid=notice]")).ToContainTextAsync("Auth:OpsKeys");
        await Expect(page.GetByTestId("dashboard")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("key-input")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("failed-item")).ToHaveCountAsync(0);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('gateway.ops.apiKey')"));
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private Task<(IPage Page, List<string> Requests)> OpenAsync(string hash = "") => browser.OpenOpsAsync(gateway.Process.BaseUrl, hash);

    private static Task EnterKeyAsync(IPage page, string key) => HeadlessChromium.EnterKeyAsync(page, key);
}
