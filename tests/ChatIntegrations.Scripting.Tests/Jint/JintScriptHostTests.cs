using System.Text.Json.Nodes;
using ChatIntegrations.Scripting.Jint;
using ChatIntegrations.Scripting.Jint.Http;
using ChatIntegrations.Scripting.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ChatIntegrations.Scripting.Tests.Jint;

/// <summary>Instances, Store, console, HTTP and values in and out (SCR-2, SCR-3, SCR-50..SCR-54, SCR-70, SCR-71).</summary>
[TestFixture]
public class JintScriptHostTests
{
    private const string Counter = "var calls = 0;";

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_TwoCalls_SCR2_ReuseOneInstance()
    {
        using var host = TestHost.Create();
        var script = TestHost.Script(TestHost.Incoming("return ++calls;", Counter));
        (await host.InvokeAsync(script, "process_incoming_request", TestHost.Arg())).Value!.GetValue<long>().Should().Be(1);
        (await host.InvokeAsync(script, "process_incoming_request", TestHost.Arg())).Value!.GetValue<long>().Should().Be(2);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_AfterLimitHit_SCR2_RebuildsInstanceButKeepsStore()
    {
        using var host = TestHost.Create();
        var script = TestHost.Script(TestHost.Incoming(
            "calls++; Store.set('n', (Store.get('n') || 0) + 1); if (arg.request.spin) { while (true) {} } return { calls: calls, stored: Store.get('n') };", Counter));
        await host.InvokeAsync(script, "process_incoming_request", TestHost.Arg());
        var hit = await host.InvokeAsync(script, "process_incoming_request", TestHost.Arg("{\"request\":{\"spin\":true}}"));
        hit.Outcome.Should().Be(ScriptOutcome.Failed);
        var after = await host.InvokeAsync(script, "process_incoming_request", TestHost.Arg());
        after.Value!.ToJsonString().Should().Be("{\"calls\":1,\"stored\":3}", "SCR-2 rebuilds the instance; SCR-52 keeps the Store");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_NewVersion_SCR52_GetsNewInstanceAndNewStore()
    {
        using var host = TestHost.Create();
        var source = TestHost.Incoming("calls++; Store.set('n', (Store.get('n') || 0) + 1); return [calls, Store.get('n')];", Counter);
        var v1 = TestHost.Script(source, id: "versioned", version: 1);
        await host.InvokeAsync(v1, "process_incoming_request", TestHost.Arg());
        (await host.InvokeAsync(v1, "process_incoming_request", TestHost.Arg())).Value!.ToJsonString().Should().Be("[2,2]");
        var v2 = v1 with { Version = 2 };
        (await host.InvokeAsync(v2, "process_incoming_request", TestHost.Arg())).Value!.ToJsonString().Should().Be("[1,1]");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_ManyIntegrations_SCR2_KeepsAtMostMaxCachedInstances()
    {
        using var host = TestHost.Create(o => o.MaxCachedInstances = 2);
        for (int i = 0; i < 5; i++)
        {
            await host.InvokeAsync(TestHost.Script(TestHost.Incoming("return 1;")), "process_incoming_request", TestHost.Arg());
        }

        host.CachedInstanceCount.Should().Be(2);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_StoreLimits_SCR52_ThrowCatchableError()
    {
        using var host = TestHost.Create();
        var result = await host.RunAsync(
            "try { for (var i = 0; i < 1001; i++) { Store.set('k' + i, i); } return 'no'; } catch (e) { return e.message + ' ' + i; }");
        result.Value!.GetValue<string>().Should().Be("Store limit exceeded 1000");
        var big = await host.RunAsync("try { Store.set('big', 'x'.repeat(1100000)); return 'no'; } catch (e) { return e.message; }");
        big.Value!.GetValue<string>().Should().Be("Store limit exceeded");
    }

    [TestCase(10)]
    [TestCase(2000)]
    [CancelAfter(30000)]
    public async Task InvokeAsync_ConfiguredMaxStoreKeys_RefusesOneKeyMore_SEC14_SCR52(int maxKeys)
    {
        using var host = TestHost.Create(o => o.MaxStoreKeys = maxKeys);
        var result = await host.RunAsync(
            "try { for (var i = 0; i < " + (maxKeys + 1) + "; i++) { Store.set('k' + i, i); } return 'no'; } catch (e) { " +
            "Store.set('k0', 'again'); return [e.message, i, Store.get('k' + (i - 1)), Store.get('k' + i) === undefined, Store.get('k0')]; }");
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be($"[\"Store limit exceeded\",{maxKeys},{maxKeys - 1},true,\"again\"]",
            "the key after the limit is refused as the 1001st is by default, and an existing key can still be replaced");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_ConfiguredMaxStoreBytes_RefusesOneByteMore_SEC14_SCR52()
    {
        // Key 'k' (1 byte) + a JSON string of n characters (n + 2 bytes): 2045 characters fill 2048 bytes exactly.
        using var host = TestHost.Create(o => o.MaxStoreBytes = 2048);
        var result = await host.RunAsync(
            "var out = []; try { Store.set('k', 'x'.repeat(2046)); out.push('no'); } catch (e) { out.push(e.message); } " +
            "Store.set('k', 'x'.repeat(2045)); out.push(Store.get('k').length); " +
            "try { Store.set('', 1); out.push('no'); } catch (e) { out.push(e.message); } return out;");
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("[\"Store limit exceeded\",2045,\"Store limit exceeded\"]");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_MaxStoreBytesAboveDefault_StoresMoreThanOneMiB_SEC14_SCR52()
    {
        using var host = TestHost.Create(o => o.MaxStoreBytes = 4 * 1024 * 1024);
        var result = await host.RunAsync("Store.set('big', 'x'.repeat(2 * 1024 * 1024)); return Store.get('big').length;");
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.GetValue<long>().Should().Be(2 * 1024 * 1024);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_StoreGet_SCR52_ReturnsFreshCopy()
    {
        using var host = TestHost.Create();
        var result = await host.RunAsync("var o = { a: [1] }; var back = Store.set('o', o); o.a.push(2); var x = Store.get('o'); x.a.push(3); return [back === o, Store.get('o'), Store.get('missing') === undefined];");
        result.Value!.ToJsonString().Should().Be("[true,{\"a\":[1]},true]");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_Console_SCR51_CapturesEntries()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var host = TestHost.Create(time: time);
        var result = await host.RunAsync("console.log('a', 1, { b: [true, null] }, undefined); console.warn('w'); console.error('e'); console.info('i'); console.debug('d'); return 0;");
        result.Logs.Select(l => (l.Level, l.Message)).Should().Equal(
            ("log", "a 1 {\"b\":[true,null]} undefined"), ("warn", "w"), ("error", "e"), ("info", "i"), ("debug", "d"));
        result.Logs[0].Timestamp.Should().Be(time.GetUtcNow());
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_ConsoleFlood_SCR51_KeepsHundredEntriesOf4KiB()
    {
        using var host = TestHost.Create();
        var result = await host.RunAsync("for (var i = 0; i < 150; i++) { console.log('x'.repeat(10000)); } var o = {}; o.o = o; console.log(o); return 0;");
        result.Logs.Should().HaveCount(100);
        result.Logs[0].Message.Should().HaveLength(4097).And.EndWith("…");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_ConsoleDeepObject_SCR51_RendersDepthFive()
    {
        using var host = TestHost.Create();
        var result = await host.RunAsync("var o = { a: { b: { c: { d: { e: { f: 1 } } } } } }; o.self = o; console.log(o); return 0;");
        result.Logs.Single().Message.Should().Be("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":[Object]}}}},\"self\":[Circular]}");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_MissingHook_ReturnsHookMissing()
    {
        using var host = TestHost.Create();
        var result = await host.InvokeAsync(TestHost.Script(TestHost.Incoming("return 1;")), "prepare_outgoing_request", TestHost.Arg());
        result.Outcome.Should().Be(ScriptOutcome.HookMissing);
        (await host.HasHookAsync(TestHost.Script(TestHost.Incoming("return 1;")), "process_incoming_request")).Should().BeTrue();
        (await host.HasHookAsync(TestHost.Script(TestHost.Incoming("return 1;")), "prepare_outgoing_request")).Should().BeFalse();
    }

    // SCR-49: when the instance cannot be made, HasHookAsync cannot tell, so it says yes and the call reports why;
    // a "no" would let a delivery skip its prepare hook and send the unprocessed request.
    [Test]
    [CancelAfter(30000)]
    public async Task HasHookAsync_TopLevelThrows_ReturnsTrueAndTheCallReportsEvaluationFailed_SCR49()
    {
        using var host = TestHost.Create();
        var script = TestHost.Script("throw new Error('top');" + TestHost.Incoming("return 1;"));

        (await host.HasHookAsync(script, "prepare_outgoing_request")).Should().BeTrue();
        (await host.InvokeAsync(script, "prepare_outgoing_request", TestHost.Arg())).Outcome.Should().Be(ScriptOutcome.EvaluationFailed);
    }

    [TestCase("throw new Error('top');", TestName = "InvokeAsync_TopLevelThrows_SCR49_ReturnsEvaluationFailed")]
    [TestCase("while (true) {}", TestName = "InvokeAsync_TopLevelLoops_SCR49_ReturnsEvaluationFailed")]
    [TestCase("function Script() { throw new Error('ctor'); }", TestName = "InvokeAsync_ConstructorThrows_SCR49_ReturnsEvaluationFailed")]
    [CancelAfter(30000)]
    public async Task InvokeAsync_EvaluationFailures(string source)
    {
        using var host = TestHost.Create();
        var script = source.StartsWith("function Script", StringComparison.Ordinal)
            ? source + "\nScript.prototype.process_incoming_request = function () { return 1; };"
            : source + TestHost.Incoming("return 1;");
        var result = await host.InvokeAsync(TestHost.Script(script), "process_incoming_request", TestHost.Arg());
        result.Outcome.Should().Be(ScriptOutcome.EvaluationFailed);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_SecondCallWhileFirstHoldsInstance_SCR3_ReturnsBusy()
    {
        var release = new TaskCompletionSource<ScriptHttpResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var http = new StubScriptHttpClient
        {
            // Ignores cancellation, so the instance stays held until the test releases it.
            OnSend = async (_, _) =>
            {
                entered.TrySetResult();
                return await release.Task;
            },
        };
        using var host = TestHost.Create(o => o.WallClockLimit = TimeSpan.FromSeconds(1), http: http);
        var script = TestHost.Script(TestHost.Incoming("if (arg.request.wait) { HTTP('GET', 'http://example.test/'); } return 'done';"));
        var first = host.InvokeAsync(script, "process_incoming_request", TestHost.Arg("{\"request\":{\"wait\":true}}")).AsTask();
        await entered.Task;
        var second = await host.InvokeAsync(script, "process_incoming_request", TestHost.Arg());
        second.Outcome.Should().Be(ScriptOutcome.Busy);
        release.SetResult(new ScriptHttpResponse { StatusCode = 200 });
        var firstResult = await first;
        firstResult.Reason.Should().Be("timeout", "SCR-41: outstanding I/O is cancelled at the wall-clock deadline " + firstResult.Outcome + firstResult.Value?.ToJsonString() + firstResult.ErrorDetail);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_Http_SCR54_ReturnsMeteorShapedResult()
    {
        var http = new StubScriptHttpClient
        {
            OnSend = (r, _) => Task.FromResult(r.Url.AbsolutePath == "/missing"
                ? new ScriptHttpResponse { StatusCode = 404, Body = "no\nsuch", MediaType = "text/plain" }
                : r.Url.AbsolutePath == "/down"
                    ? ScriptHttpResponse.Failure("ECONNREFUSED", "connection refused")
                    : new ScriptHttpResponse { StatusCode = 200, Body = "{\"v\":1}", MediaType = "application/json", Headers = new Dictionary<string, string> { ["x-a"] = "b" } }),
        };
        using var host = TestHost.Create(http: http);
        var result = await host.RunAsync(
            "var ok = HTTP('get', 'http://svc.test/ok', { params: { q: 'a b' }, auth: 'bot:s3cret' }); var missing = HTTP('POST', 'http://svc.test/missing', { data: { x: 1 } }); var down = HTTP('GET', 'http://svc.test/down');" +
            "return { ok: ok, missing: missing.error.message, status: missing.error.response.statusCode, down: down };");
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be(
            "{\"ok\":{\"result\":{\"statusCode\":200,\"content\":\"{\\u0022v\\u0022:1}\",\"headers\":{\"x-a\":\"b\"},\"ok\":true,\"data\":{\"v\":1}}},\"missing\":\"failed [404] no such\",\"status\":404,\"down\":{\"error\":{\"message\":\"connection refused\",\"code\":\"ECONNREFUSED\"}}}");
        http.Requests[0].Url.AbsoluteUri.Should().Be("http://svc.test/ok?q=a%20b");
        http.Requests[0].Headers.Should().Contain(new KeyValuePair<string, string>("Authorization", "Basic Ym90OnMzY3JldA=="));
        http.Requests[1].Body.Should().Be("{\"x\":1}");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_HttpBeyondLimit_SCR46_ThrowsCatchableError()
    {
        using var host = TestHost.Create(o => o.MaxHttpCalls = 2);
        var result = await host.RunAsync("HTTP('GET', 'http://a.test/'); HTTP('GET', 'http://a.test/'); try { HTTP('GET', 'http://a.test/'); } catch (e) { return e.message; }");
        result.Value!.GetValue<string>().Should().Be("http call limit exceeded");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_HttpWaitTime_SCR41_IsExcludedFromTimeLimit()
    {
        var http = new StubScriptHttpClient
        {
            OnSend = async (_, ct) =>
            {
                await Task.Delay(150, ct);
                return new ScriptHttpResponse { StatusCode = 200 };
            },
        };
        using var host = TestHost.Create(o => o.TimeLimit = TimeSpan.FromMilliseconds(100), http: http);
        var result = await host.RunAsync("for (var i = 0; i < 3; i++) { HTTP('GET', 'http://a.test/'); } return i;");
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.Reason);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_ArgumentsAndResults_SCR70_SCR71_FollowJsonRules()
    {
        using var host = TestHost.Create();
        var argument = TestHost.Arg("{\"request\":{\"list\":[1,2.5,\"s\",null,true,{\"k\":[]}]}}");
        var result = await host.RunAsync(
            "arg.request.list.push('mutated'); return { list: arg.request.list, f: function () {}, u: undefined, nan: NaN, inf: [Infinity], d: new Date(0), n: new Number(3) };", argument);
        result.Value!.ToJsonString().Should().Be(
            "{\"list\":[1,2.5,\"s\",null,true,{\"k\":[]},\"mutated\"],\"nan\":null,\"inf\":[null],\"d\":\"1970-01-01T00:00:00.000Z\",\"n\":3}");
        argument.ToJsonString().Should().NotContain("mutated", "SCR-70: arguments are deep copies");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_OutgoingDates_SCR70_ArriveAsDateObjects()
    {
        using var host = TestHost.Create();
        var source = "function Script() {}\nScript.prototype.prepare_outgoing_request = function (a) { var d = a.request.data; return [d.timestamp instanceof Date, d.user.createdAt instanceof Date, typeof d.other, d.timestamp.getTime()]; };";
        var result = await host.InvokeAsync(TestHost.Script(source, type: IntegrationType.Outgoing), "prepare_outgoing_request",
            TestHost.Arg("{\"request\":{\"data\":{\"timestamp\":\"2024-01-02T03:04:05.000Z\",\"user\":{\"createdAt\":\"2024-01-02T03:04:05.000Z\"},\"other\":\"2024-01-02T03:04:05.000Z\"}}}"));
        result.Value!.ToJsonString().Should().Be("[true,true,\"string\",1704164645000]");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_DateNow_SCR73_UsesTimeProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var host = TestHost.Create(time: time);
        var result = await host.RunAsync("return [Date.now(), new Date().toISOString(), new Date(0).getTime(), new Date() instanceof Date];");
        result.Value!.ToJsonString().Should().Be("[1704164645000,\"2024-01-02T03:04:05.000Z\",0,true]");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_JsonBuiltIns_SCR44a_MatchEcmaScript()
    {
        using var host = TestHost.Create();
        var result = await host.RunAsync(
            "var s = JSON.stringify({ a: [1, 'x\\n\"', null, undefined, function () {}], b: { c: true }, u: undefined, d: new Date(0) }, null, 2);" +
            "var r = JSON.stringify({ a: 1, b: 2, c: { a: 3 } }, ['a', 'c']);" +
            "var f = JSON.stringify({ a: 1, b: 'x' }, function (k, v) { return typeof v === 'number' ? v * 10 : v; });" +
            "var p = JSON.parse('{\"x\":[1,{\"y\":\"z\"}],\"n\":-1.5e2}', function (k, v) { return k === 'y' ? v.toUpperCase() : v; });" +
            "var err; try { JSON.parse('{bad'); } catch (e) { err = e instanceof SyntaxError; }" +
            "var cyc; try { var o = {}; o.o = o; JSON.stringify(o); } catch (e) { cyc = e instanceof TypeError; }" +
            "return [s, r, f, p, err, cyc, JSON.stringify(undefined) === undefined, JSON.stringify('\\u2028')];");
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        var values = result.Value!.AsArray();
        values[0]!.GetValue<string>().Should().Be("{\n  \"a\": [\n    1,\n    \"x\\n\\\"\",\n    null,\n    null,\n    null\n  ],\n  \"b\": {\n    \"c\": true\n  },\n  \"d\": \"1970-01-01T00:00:00.000Z\"\n}");
        values[1]!.GetValue<string>().Should().Be("{\"a\":1,\"c\":{\"a\":3}}");
        values[2]!.GetValue<string>().Should().Be("{\"a\":10,\"b\":\"x\"}");
        values[3]!.ToJsonString().Should().Be("{\"x\":[1,{\"y\":\"Z\"}],\"n\":-150}");
        values[4]!.GetValue<bool>().Should().BeTrue();
        values[5]!.GetValue<bool>().Should().BeTrue();
        values[6]!.GetValue<bool>().Should().BeTrue();
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_JsonParseTooDeep_SCR44a_EndsWithRecursionLimit()
    {
        using var host = TestHost.Create();
        var ok = await host.RunAsync("return JSON.parse(new Array(65).join('[') + new Array(65).join(']')).length;");
        ok.Outcome.Should().Be(ScriptOutcome.Completed, ok.ErrorDetail);
        var tooDeep = await host.RunAsync("return JSON.parse(new Array(66).join('[') + new Array(66).join(']'));");
        tooDeep.Reason.Should().Be("recursion-limit");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_RegExpFlags_SCR61_AllFlagsWorkNatively()
    {
        // SCR-61 (v3): Jint 4 runs the u, y, d and s flags natively; none is refused any more.
        using var host = TestHost.Create();
        var result = await host.RunAsync(
            "var y = /a/y; y.lastIndex = 1; var d = /b(c)/d.exec('abc');" +
            "return [/\\u{1F600}/u.test('\\u{1F600}'), y.test('ba'), y.test('ab'), d.indices[1], new RegExp('a.b', 's').test('a\\nb'), /a.b/.test('a\\nb'), 'a-b-c'.replace(/-/g, '+'), 'x1y22'.match(/\\d+/g).join(',')];");
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("[true,true,false,[2,3],true,false,\"a\\u002Bb\\u002Bc\",\"1,22\"]");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_BoundedArrayMethods_SCR44a_KeepSemantics()
    {
        using var host = TestHost.Create();
        var result = await host.RunAsync(
            "var a = [3, 1, 2]; a.sort(); var c = a.concat([4], 5); var s = c.slice(1, 3); c.splice(0, 1, 'x', 'y'); var cyc = [1]; cyc.push(cyc);" +
            "return [a.join('-'), c.join(), s, [1, 2, 3].map(function (x) { return x * 2; }), [1, 2, 3].filter(function (x) { return x > 1; }), [1, 2, 3].reduce(function (p, x) { return p + x; }, 0), [1, 2].indexOf(2), String(cyc), [null, undefined, 1].join(), 'a,b,,c'.split(','), 'abc'.split(''), 'a1b'.split(/\\d/), 'ab'.repeat(3), 'x'.padStart(3, 'ab'), 'x'.padEnd(3), 'a'.concat('b', 1)];");
        result.Value!.ToJsonString().Should().Be(
            "[\"1-2-3\",\"x,y,2,3,4,5\",[2,3],[2,4,6],[2,3],6,1,\"1,\",\",,1\",[\"a\",\"b\",\"\",\"c\"],[\"a\",\"b\",\"c\"],[\"a\",\"b\"],\"ababab\",\"abx\",\"x  \",\"ab1\"]");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_SortComparatorThrows_SCR48_ErrorIsCatchable()
    {
        using var host = TestHost.Create();
        var result = await host.RunAsync("try { [2, 1].sort(function () { throw new Error('cmp'); }); } catch (e) { return e.message; }");
        result.Value!.GetValue<string>().Should().Be("cmp");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_Cancelled_Throws()
    {
        using var host = TestHost.Create(o => { o.TimeLimit = TimeSpan.FromSeconds(20); o.MaxStatements = 100_000_000; });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var script = TestHost.Script(TestHost.Incoming("while (true) {}"));
        var call = () => host.InvokeAsync(script, "process_incoming_request", TestHost.Arg(), cts.Token).AsTask();
        await call.Should().ThrowAsync<OperationCanceledException>().ConfigureAwait(false);
    }
}
