using System.Text.Json.Nodes;
using ChatIntegrations.Scripting.Jint;
using ChatIntegrations.Scripting.Jint.Http;
using ChatIntegrations.Scripting.Jint.Runtime;
using ChatIntegrations.Scripting.Tests.Support;

namespace ChatIntegrations.Scripting.Tests.Jint;

/// <summary>Async hooks, the job loop and <c>fetch</c> (SCR-1, SCR-41, SCR-46, SCR-53, SCR-62), through the front end.</summary>
public sealed class JintScriptHostAsyncTests
{
    private static JintScriptHost Create(Action<ScriptOptions>? configure = null, IScriptHttpClient? http = null) =>
        TestHost.Create(configure, http);

    private static Task<ScriptCallResult> RunAsync(JintScriptHost host, string source, string arg = "{\"request\":{}}", string? id = null) =>
        host.InvokeAsync(TestHost.Script(source, id), "process_incoming_request", TestHost.Arg(arg)).AsTask();

    private static string Hook(string body, bool isAsync = true, string topLevel = "") =>
        topLevel + "\nclass Script {\n  " + (isAsync ? "async " : string.Empty) + "process_incoming_request({ request }) {\n" + body + "\n  }\n}\n";

    // ------------------------------------------------------------------ contract: resolved, rejected, never settling

    [Test]
    [CancelAfter(30000)]
    public async Task AsyncHook_Resolved_SCR1_ReturnsSettledValue()
    {
        using var host = Create();
        var result = await RunAsync(host, Hook("const v = await Promise.resolve(2); const w = await 3; return { content: { text: String(v + w) } };"));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""{"content":{"text":"5"}}""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task HookReturningPromise_SCR1_IsAwaited()
    {
        using var host = Create();
        var result = await RunAsync(host, Hook("return new Promise(function (resolve) { resolve({ content: { text: 'later' } }); }).then(function (r) { return r; });", isAsync: false));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""{"content":{"text":"later"}}""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task AsyncHook_Rejected_SCR48_IsException()
    {
        using var host = Create();
        var result = await RunAsync(host, Hook("await null; throw new TypeError('boom');"));
        result.Outcome.Should().Be(ScriptOutcome.Failed);
        result.Reason.Should().Be(ScriptReasons.Exception);
        result.ErrorDetail.Should().Contain("TypeError: boom");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task NeverSettling_SCR62_IsInvalidResultAndInstanceKept()
    {
        using var host = Create();
        var source = Hook("if (request.content.hang) { return new Promise(function () {}); } this.n = (this.n || 0) + 1; return { content: { n: this.n } };", isAsync: false);
        var first = await RunAsync(host, source, "{\"request\":{\"content\":{}}}", id: "never");
        var hung = await RunAsync(host, source, "{\"request\":{\"content\":{\"hang\":true}}}", id: "never");
        hung.Outcome.Should().Be(ScriptOutcome.Failed);
        hung.Reason.Should().Be(ScriptReasons.InvalidResult);
        hung.ErrorDetail.Should().Be("never-settled");
        var after = await RunAsync(host, source, "{\"request\":{\"content\":{}}}", id: "never");
        first.Value!["content"]!["n"]!.GetValue<long>().Should().Be(1);
        after.Value!["content"]!["n"]!.GetValue<long>().Should().Be(2, "invalid-result does not rebuild the instance");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task AwaitingAPendingPromise_WithoutIo_SCR62_IsNeverSettled()
    {
        using var host = Create();
        var result = await RunAsync(host, Hook("await new Promise(function () {}); return 1;"));
        result.Reason.Should().Be(ScriptReasons.InvalidResult);
        result.ErrorDetail.Should().Be("never-settled");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task AwaitOrdering_SCR62_FollowsEs2022Jobs()
    {
        using var host = Create();
        var result = await RunAsync(host, Hook("""
            const log = [];
            const p = Promise.resolve();
            p.then(() => log.push('a1')).then(() => log.push('a2')).then(() => log.push('a3'));
            (async () => { log.push('f0'); await null; log.push('f1'); await p; log.push('f2'); })();
            log.push('sync');
            await undefined;
            log.push('h1');
            await Promise.resolve();
            log.push('h2');
            return log.slice();
            """));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        // Node.js 20 prints: f0 sync a1 f1 h1 a2 f2 h2 (a3 runs after the hook's last await).
        result.Value!.ToJsonString().Should().Be("""["f0","sync","a1","f1","h1","a2","f2","h2"]""");
    }

    // An await whose continuation would be the very next job continues at once (no queue turn); these pin that it
    // does so only then. Expected orders are what Node.js 20 prints for the same code.

    [Test]
    [CancelAfter(30000)]
    public async Task AwaitOrdering_InterleavedChainsDuringDrain_SCR62_FollowsEs2022Jobs()
    {
        using var host = Create();
        var result = await RunAsync(host, Hook("""
            const log = [];
            const a = (async () => { await null; log.push('a1'); await null; log.push('a2'); await null; log.push('a3'); })();
            const b = (async () => { await null; log.push('b1'); await { then(r) { log.push('bthen'); r(1); } }; log.push('b2'); })();
            await a; log.push('h'); await b;
            return log;
            """));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""["a1","b1","a2","bthen","a3","b2","h"]""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task AwaitOrdering_JobQueuedBeforeTheHooksFirstAwait_SCR62_RunsFirst()
    {
        using var host = Create();
        var result = await RunAsync(host, Hook("""
            const log = [];
            Promise.resolve().then(() => log.push('then'));
            log.push('sync'); await null; log.push('after'); await 1; log.push('after2');
            return log;
            """));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""["sync","then","after","after2"]""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task AwaitOrdering_AsyncFunctionsStartedByABuiltIn_SCR62_StartBeforeEitherContinues()
    {
        // The hook is a bound built-in that calls two async functions: the first one's continuation must wait for
        // the second one's start.
        using var host = Create();
        const string Source = """
            var log = [];
            async function step(x) { log.push('start' + x); await null; log.push('end' + x); }
            class Script {}
            Script.prototype.process_incoming_request = Array.prototype.forEach.bind([1, 2], step);
            Script.prototype.prepare_outgoing_request = function () { return log; };
            """;
        var script = TestHost.Script(Source, "builtin-start");
        var first = await host.InvokeAsync(script, "process_incoming_request", TestHost.Arg());
        first.Outcome.Should().Be(ScriptOutcome.Completed, first.ErrorDetail);
        var log = await host.InvokeAsync(script, "prepare_outgoing_request", TestHost.Arg());
        log.Value!.ToJsonString().Should().Be("""["start1","start2","end1","end2"]""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task AsyncHook_ThrowsBeforeItsFirstAwait_SCR48_IsException()
    {
        using var host = Create();
        var result = await RunAsync(host, Hook("if (request) { throw new RangeError('early'); } await null;"));
        result.Outcome.Should().Be(ScriptOutcome.Failed);
        result.Reason.Should().Be(ScriptReasons.Exception);
        result.ErrorDetail.Should().Contain("RangeError: early");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task AsyncHook_ReturnsAThenableAfterAwaits_SCR1_IsResolvedThroughIt()
    {
        using var host = Create();
        var result = await RunAsync(host, Hook("await null; await 2; return { then(resolve) { resolve({ content: { text: 'via then' } }); } };"));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""{"content":{"text":"via then"}}""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task AsyncHook_ReturnsAnObjectInheritingThen_SCR1_IsResolvedThroughIt()
    {
        using var host = Create();
        var result = await RunAsync(host, Hook("await null; const proto = { then(resolve) { resolve(42); } }; return Object.create(proto);"));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("42");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task AsyncFunction_CallsInFlightTogether_SCR62_KeepTheirOwnStateAndScope()
    {
        // The state function of each call is closed over that call's scope (taken out of the program at load).
        using var host = Create();
        var result = await RunAsync(host, Hook("""
            const calls = [1, 2, 3].map(async (x) => { const a = x * 10; await null; const b = a + x; await b; return [x, a, b, typeof arguments]; });
            const inner = async function (y) { let k = y; for (let i = 0; i < 3; i++) { k += await i; } return k + arguments.length; };
            return { all: await Promise.all(calls), inner: await inner(5) };
            """));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""{"all":[[1,10,11,"object"],[2,20,22,"object"],[3,30,33,"object"]],"inner":9}""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task Await_ThenGetter_SCR62_IsReadOncePerAwait()
    {
        using var host = Create();
        var result = await RunAsync(host, Hook("""
            let reads = 0; const o = { get then() { reads++; return undefined; } }; await o;
            const t = { get then() { reads++; return (r) => r(5); } }; const v = await t;
            const inner = async () => { await o; return await t; };
            const w = await inner();
            return [reads, v, w];
            """));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("[4,5,5]"); // Node.js 20 prints [4,5,5]
    }

    [Test]
    [CancelAfter(30000)]
    public async Task SyncHook_QueuedJobs_SCR62_RunBeforeTheResultIsTaken()
    {
        using var host = Create();
        var source = Hook("var box = { v: 1 }; Promise.resolve().then(function () { box.v = 2; }); return box;", isAsync: false);
        var result = await RunAsync(host, source);
        result.Value!.ToJsonString().Should().Be("""{"v":2}""");
    }

    // ------------------------------------------------------------------ hostile async scripts end in their limits

    [Test]
    [CancelAfter(30000)]
    public async Task EndlessPromiseChain_SCR41_EndsInLimitAndHostStaysUsable()
    {
        using var host = Create(o => o.TimeLimit = TimeSpan.FromMilliseconds(200));
        var source = Hook("if (request.content.ok) { return { content: { text: 'ok' } }; } function loop() { return Promise.resolve().then(loop); } return loop();", isAsync: false);
        var result = await RunAsync(host, source, "{\"request\":{\"content\":{}}}", id: "chain");
        result.Outcome.Should().Be(ScriptOutcome.Failed);
        result.Reason.Should().BeOneOf(ScriptReasons.Timeout, ScriptReasons.StatementLimit, ScriptReasons.MemoryLimit);
        var next = await RunAsync(host, source, "{\"request\":{\"content\":{\"ok\":true}}}", id: "chain");
        next.Outcome.Should().Be(ScriptOutcome.Completed, next.ErrorDetail);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task AwaitInInfiniteLoop_SCR41_EndsInLimit()
    {
        using var host = Create(o => o.TimeLimit = TimeSpan.FromMilliseconds(200));
        var result = await RunAsync(host, Hook("let i = 0; while (true) { await i++; }"));
        result.Outcome.Should().Be(ScriptOutcome.Failed);
        result.Reason.Should().BeOneOf(ScriptReasons.Timeout, ScriptReasons.StatementLimit);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task FetchBeyondCallLimit_SCR46_ThrowsCatchableError()
    {
        var http = new StubScriptHttpClient();
        using var host = Create(o => o.MaxHttpCalls = 2, http);
        var result = await RunAsync(host, Hook("""
            const a = await fetch('https://example.com/1');
            const b = await fetch('https://example.com/2');
            let caught = null;
            try { await fetch('https://example.com/3'); } catch (e) { caught = e.message; }
            try { HTTP('GET', 'https://example.com/4'); } catch (e) { caught += '|' + e.message; }
            return [a.status, b.status, caught];
            """));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""[200,200,"http call limit exceeded|http call limit exceeded"]""");
        http.Requests.Should().HaveCount(2);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task FetchLoopBeyondLimit_Uncaught_SCR46_IsException()
    {
        using var host = Create(o => o.MaxHttpCalls = 3);
        var result = await RunAsync(host, Hook("while (true) { await fetch('https://example.com/'); }"));
        result.Reason.Should().Be(ScriptReasons.Exception);
        result.ErrorDetail.Should().Contain("http call limit exceeded");
    }

    // ------------------------------------------------------------------ fetch (SCR-53)

    [Test]
    [CancelAfter(30000)]
    public async Task Fetch_ResponseObject_SCR53()
    {
        var http = new StubScriptHttpClient
        {
            OnSend = (_, _) => Task.FromResult(new ScriptHttpResponse
            {
                StatusCode = 201,
                StatusText = "Created",
                Body = "{\"id\":7}",
                MediaType = "application/json",
                Headers = new Dictionary<string, string> { ["content-type"] = "application/json", ["x-b"] = "2" },
                Url = new Uri("https://example.com/final"),
                Redirected = true,
            }),
        };
        using var host = Create(http: http);
        var result = await RunAsync(host, Hook("""
            const r = await fetch('https://example.com/items', { method: 'post', headers: [['X-A', '1']], body: { a: 1 }, timeout: 500, redirect: 'manual' });
            const names = [];
            r.headers.forEach((v, k) => names.push(k + '=' + v));
            const j = await r.json();
            const t = await r.text();
            return { status: r.status, statusText: r.statusText, ok: r.ok, url: r.url, redirected: r.redirected,
              ct: r.headers.get('Content-Type'), missing: r.headers.get('nope'), has: r.headers.has('X-B'), names, id: j.id, t };
            """));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        JsonNode.DeepEquals(result.Value, JsonNode.Parse(
            """{"status":201,"statusText":"Created","ok":true,"url":"https://example.com/final","redirected":true,"ct":"application/json","missing":null,"has":true,"names":["content-type=application/json","x-b=2"],"id":7,"t":"{\"id\":7}"}""")).Should().BeTrue(result.Value!.ToJsonString());
        var sent = http.Requests.Single();
        sent.Method.Should().Be("POST");
        sent.Body.Should().Be("{\"a\":1}");
        sent.Headers.Should().Contain(new KeyValuePair<string, string>("X-A", "1")).And.Contain(new KeyValuePair<string, string>("Content-Type", "application/json"));
        sent.Timeout.Should().Be(TimeSpan.FromMilliseconds(500));
        sent.Redirect.Should().Be(ScriptRedirectMode.Manual);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task Fetch_NetworkErrorAndSsrf_SCR53_RejectWithTypeError()
    {
        var http = new StubScriptHttpClient
        {
            OnSend = (r, _) => Task.FromResult(r.Url.Host == "blocked.example"
                ? ScriptHttpResponse.Failure("ESSRF", "the target address is not allowed")
                : ScriptHttpResponse.Failure("ECONNREFUSED", "connection refused")),
        };
        using var host = Create(http: http);
        var result = await RunAsync(host, Hook("""
            const out = [];
            for (const u of ['https://blocked.example/', 'https://down.example/']) {
              try { await fetch(u); } catch (e) { out.push(e instanceof TypeError, e.message, e.cause.code); }
            }
            out.push(await fetch('not a url').catch(e => e.name));
            return out;
            """));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be(
            """[true,"fetch failed: the target address is not allowed","ESSRF",true,"fetch failed: connection refused","ECONNREFUSED","TypeError"]""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task Fetch_BodyTooLarge_SCR53_RejectsOnRead()
    {
        var http = new StubScriptHttpClient
        {
            OnSend = (_, _) => Task.FromResult(new ScriptHttpResponse { StatusCode = 200, TooLarge = true, ErrorCode = "ETOOLARGE", ErrorMessage = "too large" }),
        };
        using var host = Create(http: http);
        var result = await RunAsync(host, Hook("const r = await fetch('https://example.com/'); try { await r.text(); } catch (e) { return [r.status, e.name, e.message]; }"));
        result.Value!.ToJsonString().Should().Be("""[200,"TypeError","response too large"]""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task Fetch_SlowIo_SCR41_IsNotScriptTime()
    {
        // The time limit is 50 ms; the I/O takes 300 ms, outside the engine.
        var http = new StubScriptHttpClient
        {
            OnSend = async (_, ct) =>
            {
                await Task.Delay(300, ct);
                return new ScriptHttpResponse { StatusCode = 200, Body = "slow" };
            },
        };
        using var host = Create(o => o.TimeLimit = TimeSpan.FromMilliseconds(50), http);
        var result = await RunAsync(host, Hook("""
            const [a, b] = await Promise.all([fetch('https://example.com/a'), fetch('https://example.com/b')]);
            const c = await fetch('https://example.com/c');
            return [await a.text(), await b.text(), await c.text()];
            """));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""["slow","slow","slow"]""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task Fetch_OutstandingAtDeadline_SCR41_IsCancelledAndCallTimesOut()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var http = new StubScriptHttpClient
        {
            OnSend = async (_, ct) =>
            {
                await using var registration = ct.Register(() => cancelled.TrySetResult());
                await Task.Delay(Timeout.Infinite, ct);
                return new ScriptHttpResponse { StatusCode = 200 };
            },
        };
        using var host = Create(o => o.WallClockLimit = TimeSpan.FromSeconds(1), http);
        var result = await RunAsync(host, Hook("const r = await fetch('https://example.com/hang', { timeout: 60000 }); return r.status;"));
        result.Outcome.Should().Be(ScriptOutcome.Failed);
        result.Reason.Should().Be(ScriptReasons.Timeout);
        await cancelled.Task;
    }

    [Test]
    [CancelAfter(30000)]
    public async Task Fetch_RequestTimeout_SCR53_RejectsWithTypeError()
    {
        var http = new StubScriptHttpClient
        {
            OnSend = async (_, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return new ScriptHttpResponse { StatusCode = 200 };
            },
        };
        using var host = Create(http: http);
        var result = await RunAsync(host, Hook("try { await fetch('https://example.com/slow', { timeout: 100 }); } catch (e) { return e.message + '|' + e.cause.code; }"));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.GetValue<string>().Should().Be("fetch failed: timeout|ETIMEDOUT");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task ConcurrentCalls_HeldAcrossAwait_SCR3_NeverInterleave()
    {
        var http = new StubScriptHttpClient
        {
            OnSend = async (_, ct) =>
            {
                await Task.Delay(50, ct);
                return new ScriptHttpResponse { StatusCode = 200 };
            },
        };
        using var host = Create(http: http);
        var script = TestHost.Script(Hook("this.n = (this.n || 0) + 1; const mine = this.n; await fetch('https://example.com/'); await fetch('https://example.com/'); return this.n === mine;"));
        var calls = Enumerable.Range(0, 4).Select(_ => host.InvokeAsync(script, "process_incoming_request", TestHost.Arg()).AsTask()).ToArray();
        var results = await Task.WhenAll(calls);
        results.Select(r => r.Value!.GetValue<bool>()).Should().AllBeEquivalentTo(true);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task FetchDuringValidation_SCR33_NotAvailable()
    {
        using var host = Create();
        var result = await host.ValidateAsync("fetch('https://example.com/');\nclass Script { process_incoming_request() {} }", IntegrationType.Incoming);
        result.IsValid.Should().BeFalse();
        result.Diagnostics.Single().Message.Should().Contain("not available during validation");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task AsyncOutgoingHook_Dates_SCR70_SCR71_CopyOutAsIso()
    {
        using var host = Create();
        var source = "class Script {\n  async prepare_outgoing_request({ request }) {\n    await null;\n    const d = request.data;\n    return { data: { isDate: d.timestamp instanceof Date, ts: d.timestamp, when: new Date(Date.UTC(2024, 0, 2)), year: d.message.ts.getUTCFullYear() } };\n  }\n}\n";
        var arg = JsonNode.Parse("""{"request":{"data":{"timestamp":"2024-03-04T05:06:07.000Z","message":{"ts":"2023-01-01T00:00:00.000Z"}}}}""")!.AsObject();
        var result = await host.InvokeAsync(TestHost.Script(source, type: IntegrationType.Outgoing), "prepare_outgoing_request", arg);
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""{"data":{"isDate":true,"ts":"2024-03-04T05:06:07.000Z","when":"2024-01-02T00:00:00.000Z","year":2023}}""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task OutgoingHook_GlobalDateReplaced_SCR70_ArgumentDatesAreRealDates()
    {
        // The host makes SCR-70's dates with the intrinsic Date, taken before the script ran.
        using var host = Create();
        var source = "const RealDate = Date;\nDate = function () { return { fake: true }; };\nclass Script {\n  prepare_outgoing_request({ request }) {\n    return { data: { real: request.data.timestamp instanceof RealDate, year: request.data.timestamp.getUTCFullYear() } };\n  }\n}\n";
        var arg = JsonNode.Parse("""{"request":{"data":{"timestamp":"2024-03-04T05:06:07.000Z"}}}""")!.AsObject();
        var result = await host.InvokeAsync(TestHost.Script(source, type: IntegrationType.Outgoing), "prepare_outgoing_request", arg);
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""{"data":{"real":true,"year":2024}}""");
    }
}
