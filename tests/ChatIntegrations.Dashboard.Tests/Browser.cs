using NUnit.Framework;
using OpenQA.Selenium.Chrome;

namespace ChatIntegrations.Dashboard.Tests;

/// <summary>Starts Debian's headless Chromium through its chromedriver (never a downloaded one). When either is
/// missing the test is ignored with a clear message, unless <c>CHATINTEGRATIONS_REQUIRE_ALL=1</c>, which fails it.</summary>
internal static class Browser
{
    private static readonly string[] ChromiumPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    private static readonly string[] DriverPaths = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"];

    public static ChromeDriver Start()
    {
        var chromium = Find("CHROMIUM_PATH", ChromiumPaths);
        var driver = Find("CHROMEDRIVER_PATH", DriverPaths);
        if (chromium is null || driver is null)
        {
            var message = "browser tests need Chromium and its driver: apt-get install -y chromium chromium-driver " +
                $"(chromium: {chromium ?? "missing"}, chromedriver: {driver ?? "missing"})";
            if (Environment.GetEnvironmentVariable("CHATINTEGRATIONS_REQUIRE_ALL") == "1") Assert.Fail(message);
            Assert.Ignore(message);
        }

        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,800", "--no-first-run");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    private static string? Find(string variable, string[] candidates)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
        return candidates.FirstOrDefault(File.Exists);
    }
}
