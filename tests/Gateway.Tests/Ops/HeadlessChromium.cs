using Microsoft.Playwright;

namespace Gateway.Tests.Ops;

/// <summary>
/// One headless Debian Chromium (<c>/usr/bin/chromium</c>, never a downloaded browser) for a test
/// class, driven by Playwright; each page gets a fresh context (its own session storage), and
/// Playwright gives the browser a fresh temporary profile.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException(
                $"{Executable} is not installed. The browser tests need Debian's chromium: apt-get install -y chromium (.ci/run does this).");
        }

        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>
    /// Opens <c>/ops</c> (plus <paramref name="hash"/>) of the gateway at <paramref name="baseUrl"/> and waits until it
    /// asks for a key; the list collects the URL of every request the page makes.
    /// </summary>
    public async Task<(IPage Page, List<string> Requests)> OpenOpsAsync(string baseUrl, string hash = "")
    {
        var context = await _browser!.NewContextAsync(new() { Locale = "en-GB", TimezoneId = "UTC" });
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        var page = await context.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, request) =>
        {
            lock (requests)
            {
                requests.Add(request.Url);
            }
        };
        var response = await page.GotoAsync(baseUrl + "/ops" + hash);
        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.Locator("[data-testid=state][data-state=need-key]")).ToBeVisibleAsync();
        return (page, requests);
    }

    /// <summary>Types the key into the page's field and waits for the dashboard to load with it.</summary>
    public static async Task EnterKeyAsync(IPage page, string key)
    {
        await page.GetByTestId("key-input").FillAsync(key);
        await page.GetByTestId("key-submit").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=state][data-state=ok]")).ToBeVisibleAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
