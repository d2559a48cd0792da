using System.Diagnostics;
using ChatIntegrations.Scripting.Jint;
using ChatIntegrations.Scripting.Jint.Runtime;
using ChatIntegrations.Scripting.Tests.Support;

namespace ChatIntegrations.Scripting.Tests.Jint;

/// <summary>Named groups through the host's bounded RegExp (SCR-44a, SCR-61) and the lazy <c>_</c> and <c>s</c>
/// helpers (SCR-42, SCR-50, SCR-55, SCR-56), through the front end and prelude.</summary>
public sealed class JintScriptHostHelpersTests
{
    private static JintScriptHost Create(Action<ScriptOptions>? configure = null) =>
        TestHost.Create(configure);

    private static Task<ScriptCallResult> RunAsync(JintScriptHost host, string body, string? id = null) =>
        host.InvokeAsync(TestHost.Script("class Script {\n  process_incoming_request({ request }) {\n" + body + "\n  }\n}\n", id), "process_incoming_request", TestHost.Arg()).AsTask();

    [Test]
    [CancelAfter(30000)]
    public async Task NamedGroups_ThroughHostRegExp_SCR61()
    {
        using var host = Create();
        var result = await RunAsync(host, """
            const re = /(?<y>\d{4})-(?<m>\d\d)(?:-(?<d>\d\d))?/;
            const m = re.exec('on 2024-05 ok');
            const g = '2024-05-06'.match(re).groups;
            const swapped = '2024-05'.replace(/(?<y>\d{4})-(?<m>\d\d)/, '$<m>/$<y>');
            const viaFn = '2024-05'.replace(/(?<y>\d{4})-(?<m>\d\d)/, (...a) => a[a.length - 1].m);
            const back = new RegExp('(?<a>x)\\k<a>').test('xx');
            const all = [...'a1b2'.matchAll(/(?<c>[a-z])(?<n>\d)/g)].map(x => x.groups.c + x.groups.n);
            const dotAll = /a.(?<z>c)/s.exec('a\nc').groups.z;
            return [m.groups.y, m.groups.m, m.groups.d === undefined, m.index, g.d, swapped, viaFn, back, all, dotAll];
            """);
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""["2024","05",true,3,"06","05/2024","05",true,["a1","b2"],"c"]""");
    }

    [TestCase("return /^(?<run>(a+)+)$/.test('a'.repeat(31) + '!');")]
    [TestCase("return /^(?<run>(a+)+)$/.exec('a'.repeat(31) + '!');")]
    [TestCase("return new RegExp('^(?<run>(a+)+)$').exec('a'.repeat(31) + '!');")]
    [TestCase("return ('a'.repeat(31) + '!').match(/^(?<run>(a+)+)$/);")]
    [TestCase("return ('a'.repeat(31) + '!').replace(/^(?<run>(a+)+)$/, '$<run>');")]
    [TestCase("return ('a'.repeat(31) + '!').replace(/^(?<run>(a+)+)$/, (m) => m);")]
    [CancelAfter(30000)]
    public async Task CatastrophicNamedGroupPattern_SCR44a_StillTimesOut(string body)
    {
        using var host = Create(o => o.TimeLimit = TimeSpan.FromMilliseconds(500));
        await RunAsync(host, "return 1;");
        var watch = Stopwatch.StartNew();
        var result = await RunAsync(host, body);
        watch.Stop();
        result.Outcome.Should().Be(ScriptOutcome.Failed);
        result.Reason.Should().Be(ScriptReasons.Timeout);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(500 + 100 + 250));
    }

    [Test]
    [CancelAfter(30000)]
    public async Task StickyFlagWithNamedGroupAtRunTime_SCR61_Works()
    {
        // SCR-61 (v3): new RegExp with the y flag and a named group is no longer refused.
        using var host = Create();
        var result = await RunAsync(host, "const r = new RegExp('(?<a>x)', 'y'); r.lastIndex = 1; const m = r.exec('ax'); return [m.groups.a, m.index, r.lastIndex];");
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""["x",1,2]""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task Helpers_SCR55_SCR56_Work()
    {
        using var host = Create();
        var result = await RunAsync(host, """
            return [_.map([1, 2, 3], x => x * 2), _.pluck([{ a: 1 }, { a: 2 }], 'a'), _.chain([3, 1, 2]).sortBy(_.identity).first().value(),
              s.capitalize('hello'), s.slugify('Hello World!'), s.trim('  x  '), typeof _.template, typeof _.debounce];
            """);
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""[[2,4,6],[1,2],1,"Hello","hello-world","x","undefined","undefined"]""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task Helpers_SCR50_AreLazyNonEnumerableGlobals()
    {
        using var host = Create();
        var result = await RunAsync(host, """
            const before = Object.getOwnPropertyDescriptor(globalThis, '_');
            const keys = Object.keys(globalThis).filter(k => k === '_' || k === 's');
            const t = typeof _;
            const after = Object.getOwnPropertyDescriptor(globalThis, '_');
            return [typeof before, before.enumerable, keys.length, t, 'value' in after, after.enumerable, '_' in globalThis, 's' in globalThis];
            """);
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""["object",false,0,"function",true,false,true,true]""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task Helpers_SCR50_AssignableAndPerRealm()
    {
        using var host = Create();
        var a = await RunAsync(host, "_ = 5; s = 'x'; return [_, s];");
        var b = await RunAsync(host, "return [typeof _, typeof s];");
        a.Value!.ToJsonString().Should().Be("""[5,"x"]""");
        b.Value!.ToJsonString().Should().Be("""["function","function"]""", "SCR-72: each integration has its own realm");
    }

    [Test]
    [CancelAfter(60000)]
    public async Task HelperLoading_SCR42_CountsAgainstTheCallsLimits()
    {
        // Loading `_` executes its statements inside the call that touches it: find the longest loop that still fits
        // the statement limit, then touch `_` after it.
        using var host = Create(o => o.MaxStatements = 100_000);
        string Loop(int n, string tail) => $"let i = 0; while (i < {n}) {{ i++; }} return {tail};";
        int fits = 0, fails = 100_000;
        while (fails - fits > 1)
        {
            int mid = (fits + fails) / 2;
            var probe = await RunAsync(host, Loop(mid, "1"), id: "probe");
            if (probe.Outcome == ScriptOutcome.Completed) fits = mid; else fails = mid;
        }

        fits.Should().BeGreaterThan(1000);
        var result = await RunAsync(host, Loop(fits, "_.size([1])"), id: "helper");
        result.Outcome.Should().Be(ScriptOutcome.Failed);
        result.Reason.Should().Be(ScriptReasons.StatementLimit);
        var fresh = await RunAsync(host, "return _.size([1, 2]);", id: "helper");
        fresh.Value!.GetValue<long>().Should().Be(2);
    }
}
