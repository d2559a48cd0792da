using System.Text.Json.Nodes;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>How scripts steer a delivery: a busy instance (SCR-3), <c>process_outgoing_response</c> ending a delivery
/// (SCR-28, OUT-80), and what a changed integration means for the next attempt (DLV-6, SCR-24). Real loopback receivers.</summary>
public sealed class DeliveryScriptOutcomeTests
{
    private static async Task<DeliveryRecord> FirstDeliveryAsync(DeliveryFixture f, TinyHttpServer receiver, CancellationToken ct)
    {
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(!receiver.Requests.IsEmpty), ct);
        return (await f.Store.GetDeliveryAsync(receiver.Requests.First().Headers["webhook-id"], ct))!;
    }

    private static string Steps(HistoryRecord h) => h.Document["step"]!.GetValue<string>();

    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_ScriptInstanceBusy_BackToPendingDueIn1sWithoutAttempt_SCR3_DLV4(CancellationToken ct)
    {
        var busy = true;
        var scripts = new StubScriptHost();
        await using var f = new DeliveryFixture(scripts: scripts);
        var receiver = f.Receiver();
        scripts.Invoke = argument => argument.ContainsKey("response")
            ? new ScriptCallResult { Outcome = ScriptOutcome.Completed } // process: default handling
            : Volatile.Read(ref busy)
                ? new ScriptCallResult { Outcome = ScriptOutcome.Busy }
                : new ScriptCallResult { Outcome = ScriptOutcome.Completed, Value = argument["request"]!.DeepClone() }; // prepare: send as is
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), """{"scriptEnabled":true,"script":"class Script {}"}""");
        await f.StartAsync();
        var start = f.Time.GetUtcNow();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(scripts.Arguments.Count >= 1), ct);
        var pending = await DeliveryFixture.WaitUntilFoundAsync(async () =>
        {
            var next = await f.Store.GetNextDueAsync(ct);
            return next == start + TimeSpan.FromSeconds(1) && f.Dispatcher.InFlight == 0 ? next : null;
        }, ct);

        pending.Should().Be(start + TimeSpan.FromSeconds(1), "SCR-3: due in 1 s");
        receiver.Requests.Should().BeEmpty("no attempt starts while the instance is busy");
        (await f.HistoryAsync(i.Id)).Should().BeEmpty("not attempted: no history record");

        Volatile.Write(ref busy, false);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(!receiver.Requests.IsEmpty), ct);
        var d = await f.WaitForStateAsync(receiver.Requests.Single().Headers["webhook-id"], ct, DeliveryState.Succeeded);

        d.Attempts.Should().Be(1, "the busy postponement counted no attempt (DLV-4)");
        receiver.Requests.Single().Headers["X-ChatIntegrations-Attempt"].Should().Be("1");
        (await f.HistoryAsync(i.Id)).Should().ContainSingle();
    }

    // SCR-49: a top level that fails at run time (it passed at save) fails the delivery finally, with the step
    // execute-script-getting-script and no HTTP call; it is never sent unprocessed.
    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_TopLevelFailsAtRunTime_FailsFinallyWithoutHttpCall_SCR49(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver();
        var year = f.Time.GetUtcNow().Year;
        var script = "if (new Date().getUTCFullYear() > " + year + ") throw new Error('too late');\n" +
            "class Script { prepare_outgoing_request({ request }) { return request; } }";
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), new JsonObject { ["scriptEnabled"] = true, ["script"] = script, ["retryCount"] = 0 }.ToJsonString());
        f.Time.Advance(TimeSpan.FromDays(366)); // saved last year; runs this year
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        await DeliveryFixture.WaitUntilAsync(async () =>
            (await f.HistoryAsync(i.Id)).Any(h => h.Document["finished"]?.GetValue<bool>() == true) && f.Dispatcher.InFlight == 0, ct);
        var record = (await f.HistoryAsync(i.Id)).Should().ContainSingle().Subject;

        receiver.Requests.Should().BeEmpty("SCR-49: no HTTP call, and never the unprocessed request");
        record.Document["error"]!.GetValue<bool>().Should().BeTrue();
        Steps(record).Should().StartWith("execute-script-");
        (await f.Store.GetDeliveryAsync(record.DeliveryId!, ct))!.State.Should().Be(DeliveryState.Failed);
    }

    private const string ProcessContent = """
        class Script {
          process_outgoing_response({ response }) {
            return { content: { text: `handled ${response.status_code}` } };
          }
        }
        """;

    private const string ProcessFalse = """
        class Script {
          process_outgoing_response({ response }) {
            return false;
          }
        }
        """;

    [TestCase(410, "content", DeliveryState.Succeeded, "after-process-send-message")]
    [TestCase(410, "false", DeliveryState.Failed, "after-process-false-result")]
    [TestCase(503, "content", DeliveryState.Succeeded, "after-process-send-message")]
    [TestCase(503, "false", DeliveryState.Failed, "after-process-false-result")]
    [TestCase(200, "false", DeliveryState.Succeeded, "after-process-false-result")]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_ProcessScriptEndsDelivery_NoRetryAndIntegrationStaysEnabled_SCR28_OUT80(
        int status, string returns, DeliveryState expected, string step, CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver(_ => new TinyResponse(status, "body"));
        var script = returns == "content" ? ProcessContent : ProcessFalse;
        var doc = new JsonObject { ["scriptEnabled"] = true, ["script"] = script };
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), doc.ToJsonString());
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        var d = await f.WaitForStateAsync((await FirstDeliveryAsync(f, receiver, ct)).Id, ct, expected);

        d.Attempts.Should().Be(1, "SCR-28: no retry whatever the status");
        receiver.Requests.Should().ContainSingle();
        (await f.Store.GetAsync(i.Id, ct))!.Enabled.Should().BeTrue("OUT-80: {content} or false ends the delivery before the 410 rule");
        var h = (await f.HistoryAsync(i.Id)).Should().ContainSingle().Subject;
        Steps(h).Should().Be(step);
        h.Document["steps"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Should().NotContain("after-process-http-status-410");
        if (returns == "content") f.Chat.Sent.Should().ContainSingle().Which.Text.Should().Be($"handled {status}");
        else f.Chat.Sent.Should().BeEmpty();
        h.Document["error"]!.GetValue<bool>().Should().Be(expected == DeliveryState.Failed, "DLV-22");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_TokenRegeneratedBetweenAttempts_NextAttemptCarriesNewToken_DLV6_GEN10(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var answers = 0;
        var receiver = f.Receiver(_ => Interlocked.Increment(ref answers) == 1 ? new TinyResponse(503) : new TinyResponse(200, "ok"));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        var d = await f.WaitForStateAsync((await FirstDeliveryAsync(f, receiver, ct)).Id, ct, DeliveryState.Pending);
        var regenerated = await f.Engine.RegenerateTokenAsync(EngineFixture.Admin, i.Id, ct);
        regenerated.Success.Should().BeTrue();
        var token = regenerated.Body["token"]!.GetValue<string>();
        token.Should().NotBe(i.Token);

        f.Time.Advance(TimeSpan.FromMilliseconds(100)); // powers-of-ten, n = 0
        d = await f.WaitForStateAsync(d.Id, ct, DeliveryState.Succeeded);

        d.Attempts.Should().Be(2);
        receiver.Requests.Select(r => JsonNode.Parse(r.Body)!["token"]!.GetValue<string>()).Should().Equal(i.Token, token);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_ScriptVersionChangedBetweenAttempts_PrepareRunsAgain_DLV6_SCR24_OUT63(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var answers = 0;
        var receiver = f.Receiver(_ => Interlocked.Increment(ref answers) <= 2 ? new TinyResponse(503) : new TinyResponse(200, "ok"));
        static string Script(string tag) => $$"""
            class Script {
              prepare_outgoing_request({ request }) {
                return { url: request.url, method: 'POST', headers: { 'x-prepared-by': '{{tag}}' }, data: request.data };
              }
            }
            """;
        var doc = new JsonObject { ["scriptEnabled"] = true, ["script"] = Script("one") };
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), doc.ToJsonString());
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        var d = await f.WaitForStateAsync((await FirstDeliveryAsync(f, receiver, ct)).Id, ct, DeliveryState.Pending);
        d.PreparedVersion.Should().Be(i.Version);

        f.Time.Advance(TimeSpan.FromMilliseconds(100)); // retry 1, same version: the stored request is reused
        await DeliveryFixture.WaitUntilAsync(async () => (await f.Store.GetDeliveryAsync(d.Id, ct))!.Attempts == 2 && f.Dispatcher.InFlight == 0, ct);
        (await f.Engine.UpdateAsync(EngineFixture.Admin, i.Id, new JsonObject { ["script"] = Script("two") }, cancellationToken: ct)).Success.Should().BeTrue();

        f.Time.Advance(TimeSpan.FromSeconds(1)); // retry 2, new version: prepared again
        d = await f.WaitForStateAsync(d.Id, ct, DeliveryState.Succeeded);

        d.Attempts.Should().Be(3);
        d.PreparedVersion.Should().Be((await f.Store.GetAsync(i.Id, ct))!.Version);
        receiver.Requests.Select(r => r.Headers["x-prepared-by"]).Should().Equal("one", "one", "two");
        var ranPrepare = (await f.HistoryAsync(i.Id)).OrderBy(h => h.Attempt).Select(h => h.Document["ranPrepareScript"]?.GetValue<bool>() ?? false);
        ranPrepare.Should().Equal([true, false, true], "SCR-24: reused while the version is unchanged, discarded after a change");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_TimeoutMsChangedBetweenAttempts_NextAttemptUsesCurrentTimeout_DLV6_DLV19(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var answers = 0;
        var receiver = f.Receiver(_ => Interlocked.Increment(ref answers) == 1 ? new TinyResponse(503) : null); // then never answers
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        var d = await f.WaitForStateAsync((await FirstDeliveryAsync(f, receiver, ct)).Id, ct, DeliveryState.Pending);
        (await f.Engine.UpdateAsync(EngineFixture.Admin, i.Id, new JsonObject { ["timeoutMs"] = 1000 }, cancellationToken: ct)).Success.Should().BeTrue();

        f.Time.Advance(TimeSpan.FromMilliseconds(100));
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(receiver.Requests.Count == 2), ct);
        var sentAt = f.Time.GetUtcNow();
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Time.HasTimerDueAt(sentAt + TimeSpan.FromSeconds(1))), ct);
        f.Time.Advance(TimeSpan.FromMilliseconds(999));
        (await f.Store.GetDeliveryAsync(d.Id, ct))!.State.Should().Be(DeliveryState.Leased, "not timed out before the new 1000 ms");

        f.Time.Advance(TimeSpan.FromMilliseconds(1));
        d = await f.WaitForStateAsync(d.Id, ct, DeliveryState.Pending);

        d.Attempts.Should().Be(2);
        var second = (await f.HistoryAsync(i.Id)).Single(h => h.Attempt == 2).Document;
        second["httpError"]!["code"]!.GetValue<string>().Should().Be("ETIMEDOUT");
        second["step"]!.GetValue<string>().Should().Be("going-to-retry-2");
    }
}
