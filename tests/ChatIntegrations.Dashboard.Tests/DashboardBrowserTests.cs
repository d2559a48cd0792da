using System.Net;
using ChatIntegrations.AspNetCore.Tests.Infrastructure;
using FluentAssertions;
using NUnit.Framework;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ChatIntegrations.Dashboard.Tests;

/// <summary>The dashboard of issue 15 in a real headless Chromium (Selenium), against the sample host on loopback.</summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(120_000)]
public sealed class DashboardBrowserTests
{
    private const string BrokenScript = "class Script {\n  process_incoming_request({ request ) {\n    return { content: { text: 'x' } };\n  }\n}";
    private const string FixedScript = "class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: 'via script: ' + request.content.text } };\n  }\n}";

    private SampleServer _server = null!;
    private ChromeDriver _browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _browser = Browser.Start();
        _server = await SampleServer.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _browser?.Quit();
        _browser?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    [Test]
    public void Page_Load_ScriptRunsUnderTheCspAndListsIntegrations()
    {
        Open();

        // The list is filled by dashboard.js, so it proves the CSP lets our own script run.
        Wait(d => d.FindElement(By.Id("page-info")).Text.Length > 0);
        _browser.FindElements(By.CssSelector("[style]")).Should().BeEmpty("no inline style anywhere");
        _browser.FindElement(By.Id("status")).Text.Should().BeEmpty();
    }

    // SCR-30: a broken script is shown at its line and not saved; once fixed it saves and runs.
    [Test]
    public async Task CreateIncoming_BrokenThenFixedScript_ShowsDiagnosticRefusesThenSavesAndPosts()
    {
        var name = "browser-" + Guid.NewGuid().ToString("N")[..8];
        Open();
        Wait(d => d.FindElement(By.Id("page-info")).Text.Length > 0);

        _browser.FindElement(By.Id("new-incoming")).Click();
        Wait(d => d.FindElement(By.Id("edit-view")).Displayed);
        _browser.FindElement(By.Id("f-name")).SendKeys(name);
        _browser.FindElement(By.Id("f-channel")).SendKeys("#general");
        _browser.FindElement(By.Id("f-username")).SendKeys("rocket.cat");
        _browser.FindElement(By.Id("f-scriptEnabled")).Click();
        var script = _browser.FindElement(By.Id("f-script"));
        script.SendKeys(BrokenScript);
        _browser.FindElement(By.Id("save")).Click();

        var diagnostic = Wait(d => d.FindElements(By.CssSelector("#diagnostics li")).FirstOrDefault())!;
        diagnostic.GetDomAttribute("data-line").Should().Be("2");
        diagnostic.Text.Should().StartWith("Line 2, column ");
        _browser.FindElements(By.CssSelector("#gutter .bad")).Select(e => e.Text).Should().Equal("2");
        _browser.FindElement(By.Id("edit-view")).Displayed.Should().BeTrue("a broken script is not saved");
        (await FindAsync(name)).Should().BeNull();

        script.Clear();
        script.SendKeys(FixedScript);
        _browser.FindElement(By.Id("save")).Click();

        Wait(d => d.FindElement(By.Id("list-view")).Displayed);
        Wait(d => d.FindElement(By.Id("integrations")).Text.Contains(name, StringComparison.Ordinal));
        var created = await FindAsync(name);
        created.Should().NotBeNull();
        var id = created!["_id"]!.GetValue<string>();
        var full = await _server.SendAsync(HttpMethod.Get, "/api/integrations/" + id);
        full.Json!["integration"]!["scriptEnabled"]!.GetValue<bool>().Should().BeTrue();
        var token = full.Json["integration"]!["token"]!.GetValue<string>();
        var post = await _server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"from the browser test"}""");
        post.Status.Should().Be(HttpStatusCode.OK, post.Text);
        _server.LastMessage("general").Text.Should().Be("via script: from the browser test");
    }

    private void Open() => _browser.Navigate().GoToUrl(new Uri(_server.Address, "/admin/integrations"));

    private T Wait<T>(Func<IWebDriver, T> condition) =>
        new WebDriverWait(_browser, TimeSpan.FromSeconds(15)) { PollingInterval = TimeSpan.FromMilliseconds(50) }.Until(condition);

    private async Task<System.Text.Json.Nodes.JsonNode?> FindAsync(string name)
    {
        var r = await _server.SendAsync(HttpMethod.Get, "/api/integrations?name=" + name);
        return r.Json!["integrations"]!.AsArray().FirstOrDefault(i => i!["name"]!.GetValue<string>() == name);
    }
}
