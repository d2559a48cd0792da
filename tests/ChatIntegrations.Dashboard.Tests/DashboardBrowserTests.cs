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
    private WebhookReceiver _receiver = null!;
    private ChromeDriver _browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _browser = Browser.Start();
        _receiver = await WebhookReceiver.StartAsync();
        // SEC-11: the loopback receiver must be allow-listed.
        _server = await SampleServer.StartAsync(null, "--ChatIntegrations:Ssrf:AllowList:0=127.0.0.0/8", "--Sample:CreateDemoWebhook=false");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _browser?.Quit();
        _browser?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        if (_receiver is not null) await _receiver.DisposeAsync();
    }

    // DLV-24, DLV-27: an outgoing webhook made with the form, whose receiver fails; the history shows the failed
    // attempt and its replay button sends it again. Issue 15, item 2 (DLV-14): the list shows the failure count and
    // the last outcome, and the Pending view shows the scheduled retry with its next attempt time.
    [Test]
    public async Task CreateOutgoing_ReceiverFails_HistoryShowsFailureAndReplaySendsAgain()
    {
        var name = "out-" + Guid.NewGuid().ToString("N")[..8];
        var word = "!" + name;
        _receiver.Respond = _ => new ReceiverAnswer(500, """{"error":"down"}""");
        Open();

        StartNew("new-outgoing", "outgoing-fields", name);
        _browser.FindElement(By.Id("f-triggerWords")).SendKeys(word);
        _browser.FindElement(By.Id("f-urls")).SendKeys(_receiver.Url());
        // OUT-1: a new outgoing webhook retries failed calls by default, as in Rocket.Chat; the retries (6 at powers
        // of ten) keep the delivery pending.
        _browser.FindElement(By.Id("f-retryFailedCalls")).Selected.Should().BeTrue();
        _browser.FindElement(By.Id("save")).Click();
        Wait(d => d.FindElement(By.Id("integrations")).Text.Contains(name, StringComparison.Ordinal));
        var id = (await FindAsync(name))!["_id"]!.GetValue<string>();

        var posted = await _server.PostJsonAsync("/api/rooms/general/messages", $$"""{"user":"alice","text":"{{word}} now"}""");
        posted.Status.Should().Be(HttpStatusCode.OK, posted.Text);
        var original = await _receiver.NextAsync();
        await WaitForFailedHistoryAsync(id);

        // The list, loaded again, counts the failed attempt (the default retries keep the delivery pending for minutes).
        _browser.FindElement(By.CssSelector("#filter button[type=submit]")).Click();
        var row = Wait(d => d.FindElements(By.CssSelector("#integrations tbody tr")).FirstOrDefault(r => r.Text.Contains(name, StringComparison.Ordinal) && r.FindElement(By.CssSelector("td.failures")).Text != "0"))!;
        int.Parse(row.FindElement(By.CssSelector("td.failures")).Text, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(1);
        row.FindElement(By.CssSelector("td.last-delivery")).Text.Should().StartWith("Failed");

        // The Pending view shows the retry with its next attempt time, attempts and the error, then goes back.
        _browser.FindElement(By.CssSelector($"button[aria-label='Pending deliveries of {name}']")).Click();
        Wait(d => d.FindElement(By.Id("pending-view")).Displayed && d.FindElements(By.CssSelector("#pending tbody tr")).Count == 1);
        var pending = _browser.FindElement(By.CssSelector("#pending tbody tr"));
        var cells = pending.FindElements(By.TagName("td"));
        var next = cells[0].FindElement(By.TagName("time"));
        DateTimeOffset.Parse(next.GetDomAttribute("datetime")!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeAfter(DateTimeOffset.Parse(cells[5].FindElement(By.TagName("time")).GetDomAttribute("datetime")!, System.Globalization.CultureInfo.InvariantCulture));
        next.Text.Should().Be(next.GetDomAttribute("datetime"));
        cells[1].Text.Should().Match(t => t == "Scheduled retry" || t.StartsWith("In flight", StringComparison.Ordinal));
        int.Parse(cells[2].Text, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(1);
        cells[4].Text.Should().StartWith("http-status-500");
        _browser.FindElement(By.Id("pending-info")).Text.Should().EndWith("of 1");
        _browser.FindElement(By.Id("pending-back")).Click();
        Wait(d => d.FindElement(By.Id("list-view")).Displayed && !d.FindElement(By.Id("pending-view")).Displayed);

        _browser.FindElement(By.CssSelector($"button[aria-label='History of {name}']")).Click();
        Wait(d => d.FindElement(By.Id("history")).Text.Contains("Failed", StringComparison.Ordinal));
        _browser.FindElement(By.CssSelector("#history tbody button")).Click();
        var replayed = await _receiver.NextAsync();

        Wait(d => d.FindElement(By.Id("status")).Text == "Replay queued.");
        replayed.Json["text"]!.GetValue<string>().Should().Be(original.Json["text"]!.GetValue<string>());
    }

    [Test]
    public void Page_Load_ScriptRunsUnderTheCspAndListsIntegrations()
    {
        // Open waits until dashboard.js has filled the list, so it proves the CSP lets our own script run.
        Open();

        _browser.FindElements(By.CssSelector("[style]")).Should().BeEmpty("no inline style anywhere");
        _browser.FindElement(By.Id("status")).Text.Should().BeEmpty();
    }

    // SCR-30: a broken script is shown at its line and not saved; once fixed it saves and runs.
    [Test]
    public async Task CreateIncoming_BrokenThenFixedScript_ShowsDiagnosticRefusesThenSavesAndPosts()
    {
        var name = "browser-" + Guid.NewGuid().ToString("N")[..8];
        Open();

        StartNew("new-incoming", "edit-view", name);
        _browser.FindElement(By.Id("f-scriptEnabled")).Click();
        _browser.FindElement(By.Id("try-save-first")).Displayed.Should().BeTrue("an unsaved integration cannot be tried");
        _browser.FindElement(By.Id("try-run")).Displayed.Should().BeFalse();
        var script = _browser.FindElement(By.Id("f-script"));
        script.SendKeys(BrokenScript);
        _browser.FindElement(By.Id("save")).Click();

        var diagnostic = Wait(d => d.FindElements(By.CssSelector("#diagnostics li")).FirstOrDefault())!;
        diagnostic.GetDomAttribute("data-line").Should().Be("2");
        diagnostic.Text.Should().StartWith("Line 2, column ");
        _browser.FindElements(By.CssSelector("#gutter .bad")).Select(e => e.Text).Should().Equal("2");
        // One gutter number per line, each below the previous one.
        var numbers = _browser.FindElements(By.CssSelector("#gutter span"));
        numbers.Select(e => e.Text).Should().Equal("1", "2", "3", "4", "5");
        numbers.Select(e => e.Location.Y).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
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

        // Issue 15 item 2: "try it" on the saved integration shows what would be posted, and posts nothing.
        var before = _server.MessageCount("general");
        _browser.FindElement(By.Id("filter-name")).SendKeys(name + Keys.Enter);
        Wait(d => d.FindElement(By.Id("page-info")).Text == "1–1 of 1");
        _browser.FindElement(By.CssSelector($"button[aria-label='Edit {name}']")).Click();
        Wait(d => d.FindElement(By.Id("f-name")).GetDomProperty("value") == name);
        _browser.FindElement(By.Id("try-save-first")).Displayed.Should().BeFalse();
        _browser.FindElements(By.CssSelector("#try-it input, #try-it textarea")).Where(e => e.Displayed)
            .Should().HaveCount(2).And.OnlyContain(e => _browser.FindElements(By.CssSelector($"label[for='{e.GetDomAttribute("id")}']")).Count == 1, "every control is labelled");
        _browser.FindElement(By.Id("try-body")).SendKeys("""{"text":"tried in the browser"}""");
        _browser.FindElement(By.Id("try-headers")).SendKeys("X-Event: push");
        _browser.FindElement(By.Id("try-run")).Click();

        Wait(d => d.FindElement(By.Id("try-result")).Displayed);
        _browser.FindElement(By.Id("try-posted")).Text.Should().Contain("\"msg\": \"via script: tried in the browser\"");
        _browser.FindElement(By.Id("try-error")).Text.Should().Be("None.");
        _browser.FindElement(By.Id("try-details")).Text.Should().Contain("200 {\"success\":true}");
        _browser.FindElement(By.Id("try-console")).Text.Should().Be("No console output.");
        _browser.FindElement(By.Id("status")).Text.Should().Be("Tried: nothing was posted or sent.");
        _server.MessageCount("general").Should().Be(before, "a dry run posts nothing");

        // The editor's unsaved script is what runs: an endless loop hits a limit (SCR-47: the statement limit or the time
        // limit, whichever the machine reaches first), and nothing is saved.
        script = _browser.FindElement(By.Id("f-script"));
        script.Clear();
        script.SendKeys("class Script {\n  process_incoming_request() {\n    console.log('looping');\n    while (true) {}\n  }\n}");
        _browser.FindElement(By.Id("try-run")).Click();

        Wait(d => d.FindElement(By.Id("try-error")).Text.StartsWith("Limit hit: ", StringComparison.Ordinal));
        _browser.FindElement(By.Id("try-error")).Text.Should().MatchRegex("^Limit hit: (statement-limit|timeout) ");
        _browser.FindElement(By.Id("try-console")).Text.Should().Be("[log] looping");
        _browser.FindElement(By.Id("try-posted")).Text.Should().Be("Nothing would be posted.");
        var saved = await _server.SendAsync(HttpMethod.Get, "/api/integrations/" + id);
        saved.Json!["integration"]!["script"]!.GetValue<string>().Should().Be(FixedScript);
    }

    // GEN-11, GEN-13: the filter finds an integration, Edit loads it, Save updates it with its expected version.
    [Test]
    public async Task EditIncoming_FilterEditSave_UpdatesTheIntegration()
    {
        var name = "edit-" + Guid.NewGuid().ToString("N")[..8];
        var created = await _server.SendAsync(HttpMethod.Post, "/api/integrations", $$"""{"type":"webhook-incoming","name":"{{name}}","channel":"#general","username":"rocket.cat"}""");
        created.Status.Should().Be(HttpStatusCode.OK, created.Text);
        var id = created.Json!["integration"]!["_id"]!.GetValue<string>();
        Open();

        _browser.FindElement(By.Id("filter-name")).SendKeys(name + Keys.Enter);
        Wait(d => d.FindElement(By.Id("page-info")).Text == "1–1 of 1");
        _browser.FindElement(By.CssSelector($"button[aria-label='Edit {name}']")).Click();
        Wait(d => d.FindElement(By.Id("f-name")).GetDomProperty("value") == name);
        _browser.FindElement(By.Id("f-alias")).SendKeys("Deploy bot");
        _browser.FindElement(By.Id("save")).Click();
        Wait(d => d.FindElement(By.Id("status")).Text == "Saved.");

        var after = await _server.SendAsync(HttpMethod.Get, "/api/integrations/" + id);
        after.Json!["integration"]!["alias"]!.GetValue<string>().Should().Be("Deploy bot");
        after.Json["integration"]!["name"]!.GetValue<string>().Should().Be(name);
    }

    // GEN-10: the URL is masked until asked for; "Regenerate token" shows the new URL once, it posts, the old fails.
    [Test]
    public async Task EditIncoming_RegenerateToken_ShowsNewUrlThatPostsAndOldFails()
    {
        var name = "token-" + Guid.NewGuid().ToString("N")[..8];
        var created = await _server.SendAsync(HttpMethod.Post, "/api/integrations", $$"""{"type":"webhook-incoming","name":"{{name}}","channel":"#general","username":"rocket.cat"}""");
        var id = created.Json!["integration"]!["_id"]!.GetValue<string>();
        var oldToken = created.Json["integration"]!["token"]!.GetValue<string>();
        OpenEdit(name);

        var url = _browser.FindElement(By.Id("f-webhookUrl"));
        Wait(_ => url.GetDomProperty("value")!.Length > 0);
        url.GetDomProperty("value").Should().Be(_server.Address.GetLeftPart(UriPartial.Authority) + $"/hooks/{id}/••••••••");
        _browser.FindElement(By.Id("show-url")).Click();
        url.GetDomProperty("value").Should().EndWith($"/hooks/{id}/{oldToken}");
        _browser.FindElement(By.Id("curl-example")).Text.Should().Contain("curl -X POST").And.Contain(oldToken);

        _browser.FindElement(By.Id("regenerate-token")).Click();
        _browser.SwitchTo().Alert().Accept();
        Wait(d => d.FindElement(By.Id("status")).Text.StartsWith("New token made.", StringComparison.Ordinal));
        var shown = url.GetDomProperty("value")!;

        shown.Should().NotContain(oldToken).And.StartWith(new Uri(_server.Address, $"/hooks/{id}/").ToString());
        var viaNew = await _server.PostJsonAsync(new Uri(shown).PathAndQuery, """{"text":"with the new token"}""");
        viaNew.Status.Should().Be(HttpStatusCode.OK, viaNew.Text);
        _server.LastMessage("general").Text.Should().Be("with the new token");
        (await _server.PostJsonAsync($"/hooks/{id}/{oldToken}", """{"text":"old"}""")).Status.Should().NotBe(HttpStatusCode.OK);

        // Saving afterwards must not hit a version conflict (the token change bumped the version).
        _browser.FindElement(By.Id("f-alias")).SendKeys("after token");
        _browser.FindElement(By.Id("save")).Click();
        Wait(d => d.FindElement(By.Id("status")).Text == "Saved.");
    }

    // GEN-9: every field of the admin API can be set from the forms.
    [Test]
    public async Task CreateOutgoingAndIncoming_EveryAdminField_Saved()
    {
        var outName = "fields-out-" + Guid.NewGuid().ToString("N")[..8];
        Open();
        StartNew("new-outgoing", "outgoing-fields", outName);
        _browser.FindElement(By.Id("f-triggerWords")).SendKeys("!deploy, !ship");
        Select("f-triggerWordMode", "first-word-exact");
        _browser.FindElement(By.Id("f-triggerWordsCaseInsensitive")).Click();
        _browser.FindElement(By.Id("f-urls")).SendKeys(_receiver.Url());
        _browser.FindElement(By.Id("f-token")).SendKeys("receiver-token");
        _browser.FindElement(By.Id("f-triggerOnIntegrationMessages")).Click();
        Select("f-payloadFormat", "slack-form");
        Select("f-responseContentMode", "raw");
        _browser.FindElement(By.Id("f-timeoutMs")).Clear();
        _browser.FindElement(By.Id("f-timeoutMs")).SendKeys("5000");
        Select("f-retryRules", "rocketchat");
        Select("f-retryDelay", "powers-of-two");
        _browser.FindElement(By.Id("f-useJitter")).Click();
        _browser.FindElement(By.Id("f-recordHistory")).Click();
        _browser.FindElement(By.Id("save")).Click();
        Wait(d => d.FindElement(By.Id("integrations")).Text.Contains(outName, StringComparison.Ordinal));

        var outgoing = await GetAsync(outName);
        outgoing["triggerWords"]!.AsArray().Select(w => w!.GetValue<string>()).Should().Equal("!deploy", "!ship");
        outgoing["triggerWordMode"]!.GetValue<string>().Should().Be("first-word-exact");
        outgoing["triggerWordsCaseInsensitive"]!.GetValue<bool>().Should().BeTrue();
        outgoing["token"]!.GetValue<string>().Should().Be("receiver-token");
        outgoing["triggerOnIntegrationMessages"]!.GetValue<bool>().Should().BeTrue();
        outgoing["payloadFormat"]!.GetValue<string>().Should().Be("slack-form");
        outgoing["responseContentMode"]!.GetValue<string>().Should().Be("raw");
        outgoing["timeoutMs"]!.GetValue<int>().Should().Be(5000);
        outgoing["retryRules"]!.GetValue<string>().Should().Be("rocketchat");
        outgoing["retryDelay"]!.GetValue<string>().Should().Be("powers-of-two");
        outgoing["useJitter"]!.GetValue<bool>().Should().BeTrue();
        outgoing["recordHistory"]!.GetValue<bool>().Should().BeFalse();

        var inName = "fields-in-" + Guid.NewGuid().ToString("N")[..8];
        StartNew("new-incoming", "incoming-fields", inName);
        _browser.FindElement(By.Id("outgoing-fields")).Displayed.Should().BeFalse();
        _browser.FindElement(By.Id("f-overrideDestinationChannelEnabled")).Click();
        _browser.FindElement(By.Id("f-maxBodyBytes")).SendKeys("4096");
        Select("f-rateLimitMode", "on");
        _browser.FindElement(By.Id("f-rateLimitPermits")).SendKeys("5");
        _browser.FindElement(By.Id("f-rateLimitWindowSeconds")).SendKeys("30");
        _browser.FindElement(By.Id("save")).Click();
        Wait(d => d.FindElement(By.Id("integrations")).Text.Contains(inName, StringComparison.Ordinal));

        var incoming = await GetAsync(inName);
        incoming["overrideDestinationChannelEnabled"]!.GetValue<bool>().Should().BeTrue();
        incoming["maxBodyBytes"]!.GetValue<int>().Should().Be(4096);
        incoming["rateLimit"]!.ToJsonString().Should().Be("""{"enabled":true,"permits":5,"windowSeconds":30}""");

        // Edit shows what was saved, and "the engine's default" removes the per-webhook rate limit again.
        OpenEdit(inName);
        new SelectElement(_browser.FindElement(By.Id("f-rateLimitMode"))).SelectedOption.GetDomAttribute("value").Should().Be("on");
        _browser.FindElement(By.Id("f-maxBodyBytes")).GetDomProperty("value").Should().Be("4096");
        Select("f-rateLimitMode", "default");
        _browser.FindElement(By.Id("save")).Click();
        Wait(d => d.FindElement(By.Id("status")).Text == "Saved.");
        (await GetAsync(inName))["rateLimit"].Should().BeNull();
    }

    // OMNI-1: the omnichannel settings screen saves; the secret token is never shown back, in the page or the API.
    [Test]
    public async Task Omnichannel_SaveSettings_AppliedAndSecretNeverShownBack()
    {
        const string Secret = "crm-secret-from-the-browser";
        Open();

        _browser.FindElement(By.Id("open-omnichannel")).Click();
        Wait(d => d.FindElement(By.Id("omni-view")).Displayed);
        var url = _browser.FindElement(By.Id("o-url"));
        url.Clear();
        url.SendKeys(_receiver.Url());
        _browser.FindElement(By.Id("o-secretToken")).SendKeys(Secret);
        if (!_browser.FindElement(By.Id("o-onClose")).Selected) _browser.FindElement(By.Id("o-onClose")).Click();
        _browser.FindElement(By.Id("omni-save")).Click();
        Wait(d => d.FindElement(By.Id("status")).Text == "Omnichannel webhook saved.");

        _browser.FindElement(By.Id("o-secretToken")).GetDomProperty("value").Should().BeEmpty();
        _browser.FindElement(By.Id("o-secret-state")).Text.Should().Be("A secret token is set.");
        _browser.PageSource.Should().NotContain(Secret);
        var settings = await _server.SendAsync(HttpMethod.Get, "/api/omnichannel/webhook");
        settings.Text.Should().NotContain(Secret);
        settings.Json!["settings"]!["url"]!.GetValue<string>().Should().Be(_receiver.Url());
        settings.Json["settings"]!["onClose"]!.GetValue<bool>().Should().BeTrue();

        // Saving again with the secret field left empty keeps the secret.
        _browser.FindElement(By.Id("omni-save")).Click();
        Wait(d => d.FindElement(By.Id("o-secret-state")).Text == "A secret token is set.");
        (await _server.SendAsync(HttpMethod.Get, "/api/omnichannel/webhook")).Json!["settings"]!["secretTokenSet"]!.GetValue<bool>().Should().BeTrue();
    }

    // Issue 15, item 3: the README's screenshots are made here. They go to $CHATINTEGRATIONS_SCREENSHOTS when set
    // (docs/images when refreshing the README), else to the test's work directory.
    [Test]
    public async Task Page_Screenshots_WrittenForTheReadme()
    {
        foreach (var (type, name) in new[] { ("webhook-incoming", "GitLab pushes"), ("webhook-incoming", "Grafana alerts"), ("webhook-outgoing", "Deploy bot") })
        {
            var extra = type == "webhook-outgoing" ? $$""","triggerWords":["!deploy"],"urls":["{{_receiver.Url()}}"]""" : "";
            var r = await _server.SendAsync(HttpMethod.Post, "/api/integrations", $$"""{"type":"{{type}}","name":"{{name}}","channel":"#general","username":"rocket.cat"{{extra}}}""");
            r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        }

        var folder = Environment.GetEnvironmentVariable("CHATINTEGRATIONS_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var original = _browser.Manage().Window.Size;
        try
        {
            _browser.Manage().Window.Size = new System.Drawing.Size(1280, 800);
            Open();
            Wait(d => d.FindElement(By.Id("integrations")).Text.Contains("GitLab pushes", StringComparison.Ordinal));
            var list = Save("dashboard-list.png");

            OpenEdit("GitLab pushes");
            _browser.FindElement(By.Id("f-scriptEnabled")).Click();
            var script = _browser.FindElement(By.Id("f-script"));
            script.SendKeys(BrokenScript);
            _browser.FindElement(By.Id("validate")).Click();
            var diagnostic = Wait(d => d.FindElements(By.CssSelector("#diagnostics li")).FirstOrDefault())!;
            _browser.ExecuteScript("arguments[0].scrollIntoView({block: 'end'});", diagnostic);
            var edit = Save("dashboard-edit.png");

            // The try-it panel after a dry run of the fixed script.
            script.Clear();
            script.SendKeys(FixedScript.Replace("return {", "console.log('pushed by', request.content.user_name);\n    return {", StringComparison.Ordinal));
            _browser.FindElement(By.Id("try-body")).SendKeys("""{"text":"3 commits to main","user_name":"alice"}""");
            _browser.FindElement(By.Id("try-run")).Click();
            var result = Wait(d => d.FindElement(By.Id("try-result")).Displayed ? d.FindElement(By.Id("try-result")) : null)!;
            Wait(d => d.FindElement(By.Id("try-console")).Text == "[log] pushed by alice");
            _browser.ExecuteScript("arguments[0].scrollIntoView({block: 'end'});", result);
            var tried = Save("dashboard-try.png");

            foreach (var file in new[] { list, edit, tried })
            {
                var bytes = await File.ReadAllBytesAsync(file);
                bytes.Should().HaveCountGreaterThan(10_000).And.StartWith(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "a PNG image");
            }
        }
        finally
        {
            _browser.Manage().Window.Size = original;
        }

        string Save(string fileName)
        {
            var path = Path.Combine(folder, fileName);
            _browser.GetScreenshot().SaveAsFile(path);
            TestContext.AddTestAttachment(path);
            return path;
        }
    }

    // Issue 15, item 3: the sample's dashboard says on the page that it is an open demo.
    [Test]
    public void Page_SampleHost_ShowsTheDemoNotice()
    {
        Open();

        var notice = Wait(d => d.FindElement(By.Id("notice")));
        notice.Displayed.Should().BeTrue();
        notice.Text.Should().StartWith("Demo: this sample host lets everyone see and change every integration.");
    }

    // Issue 15, item 5: usable on a phone-sized viewport: nothing wider than the screen.
    [TestCase(1280, 800)]
    [TestCase(390, 844)]
    public void Page_Viewport_HasNoHorizontalOverflow(int width, int height)
    {
        var original = _browser.Manage().Window.Size;
        try
        {
            _browser.Manage().Window.Size = new System.Drawing.Size(width, height);
            Open();
            var listOverflow = (long)_browser.ExecuteScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")!;
            listOverflow.Should().BeLessThanOrEqualTo(0, "the list fits");
            foreach (var (button, view) in new[] { ("new-outgoing", "edit-view"), ("new-incoming", "edit-view"), ("open-omnichannel", "omni-view") })
            {
                _browser.FindElement(By.Id(button)).Click();
                Wait(d => d.FindElement(By.Id(view)).Displayed);

                var overflow = (long)_browser.ExecuteScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")!;
                var viewport = (long)_browser.ExecuteScript("return document.documentElement.clientWidth;")!;

                viewport.Should().BeLessThanOrEqualTo(width, "the window really has the size under test");
                overflow.Should().BeLessThanOrEqualTo(0, "the {0} view fits", button);
            }
        }
        finally
        {
            _browser.Manage().Window.Size = original;
        }
    }

    // Issue 15, item 5: keyboard navigable: Tab reaches the first action, Enter opens the form with the focus in it.
    [Test]
    public void Page_Keyboard_TabAndEnterOpenTheFormFocused()
    {
        Open();

        _browser.FindElement(By.TagName("body")).SendKeys(Keys.Tab);
        Wait(d => d.SwitchTo().ActiveElement().GetDomAttribute("id") == "new-incoming");
        _browser.SwitchTo().ActiveElement().SendKeys(Keys.Enter);

        Wait(d => d.FindElement(By.Id("edit-view")).Displayed);
        _browser.SwitchTo().ActiveElement().GetDomAttribute("id").Should().Be("f-name");
        _browser.FindElements(By.CssSelector("#edit-form input:not([type=hidden]), #edit-form select, #edit-form textarea"))
            .Where(e => e.Displayed)
            .Should().OnlyContain(e => _browser.FindElements(By.CssSelector($"label[for='{e.GetDomAttribute("id")}']")).Count == 1, "every control is labelled");
    }

    private async Task WaitForFailedHistoryAsync(string id)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var r = await _server.SendAsync(HttpMethod.Get, $"/api/integrations/{id}/history");
            if (r.Json?["history"]?.AsArray().Any(h => h!["finished"]?.GetValue<bool>() == true) == true) return;
            await Task.Delay(20, cts.Token); // the dispatcher writes the final step after the answer: no event to await
        }
    }

    private void OpenEdit(string name)
    {
        Open();
        _browser.FindElement(By.Id("filter-name")).SendKeys(name + Keys.Enter);
        Wait(d => d.FindElement(By.Id("page-info")).Text == "1–1 of 1");
        _browser.FindElement(By.CssSelector($"button[aria-label='Edit {name}']")).Click();
        Wait(d => d.FindElement(By.Id("f-name")).GetDomProperty("value") == name);
    }

    /// <summary>Opens the form for a new integration and fills what every integration needs.</summary>
    private void StartNew(string button, string shown, string name)
    {
        _browser.FindElement(By.Id(button)).Click();
        Wait(d => d.FindElement(By.Id(shown)).Displayed);
        _browser.FindElement(By.Id("f-name")).SendKeys(name);
        _browser.FindElement(By.Id("f-channel")).SendKeys("#general");
        _browser.FindElement(By.Id("f-username")).SendKeys("rocket.cat");
    }

    private void Select(string id, string value) => new SelectElement(_browser.FindElement(By.Id(id))).SelectByValue(value);

    private async Task<System.Text.Json.Nodes.JsonNode> GetAsync(string name)
    {
        var id = (await FindAsync(name))!["_id"]!.GetValue<string>();
        var r = await _server.SendAsync(HttpMethod.Get, "/api/integrations/" + id);
        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        return r.Json!["integration"]!;
    }

    /// <summary>Loads the dashboard and waits until its script has filled the list.</summary>
    private void Open()
    {
        _browser.Navigate().GoToUrl(new Uri(_server.Address, "/admin/integrations"));
        Wait(d => d.FindElement(By.Id("page-info")).Text.Length > 0);
    }

    // The page re-renders its tables by replacing their rows, so an element a condition holds may go stale between
    // two polls: that is "not yet", not a failure.
    private T Wait<T>(Func<IWebDriver, T> condition)
    {
        var wait = new WebDriverWait(_browser, TimeSpan.FromSeconds(15)) { PollingInterval = TimeSpan.FromMilliseconds(50) };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    private async Task<System.Text.Json.Nodes.JsonNode?> FindAsync(string name)
    {
        var r = await _server.SendAsync(HttpMethod.Get, "/api/integrations?name=" + name);
        return r.Json!["integrations"]!.AsArray().FirstOrDefault(i => i!["name"]!.GetValue<string>() == name);
    }
}
