using System.Globalization;
using Acornima.Ast;
using ChatIntegrations.Scripting.Jint.Http;
using ChatIntegrations.Scripting.Jint.Instances;
using global::Jint;
using global::Jint.Native;
using global::Jint.Native.Object;
using global::Jint.Runtime;
using global::Jint.Runtime.Descriptors;
using global::Jint.Runtime.Interop;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>
/// One sandboxed Jint 4 engine (a realm, SCR-72) with Rocket.Chat's globals (SCR-50) and the sandbox settings that
/// Jint does not make by default. CLR objects are never handed to the engine: every value a script can reach is a
/// JavaScript value.
/// </summary>
/// <remarks>Not thread-safe: one engine entry at a time, always on a script thread (SCR-43).</remarks>
internal sealed partial class ScriptRealm
{
    /// <summary>Globals removed from every realm: scripts do not need binary buffers, shared memory or other realms,
    /// and typed arrays and <c>ArrayBuffer</c> reserve their memory before any limit is checked.</summary>
    private static readonly string[] RemovedGlobals =
    [
        "ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics", "WebAssembly", "ShadowRealm",
        "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
        "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
    ];

    // Snippets every realm runs at creation, parsed once per process.
    private static readonly Prepared<Script> FunctionPrototypes = Engine.PrepareScript(
        "[Object.getPrototypeOf(function(){}), Object.getPrototypeOf(async function(){}), Object.getPrototypeOf(function*(){}), Object.getPrototypeOf(async function*(){})]");

    private static readonly Prepared<Script> FunctionThrower = Engine.PrepareScript(
        "(function () { return function Function(body) { throw new EvalError('not allowed'); }; })()");

    private readonly ScriptStore? _store;
    private readonly IScriptHttpClient? _http;
    private readonly CallConstraint _constraint;
    private CallContext? _current;

    public ScriptRealm(ScriptLimits limits, TimeProvider timeProvider, ScriptStore? store, IScriptHttpClient? http, ScriptHelpers? helpers)
    {
        Limits = limits;
        TimeProvider = timeProvider;
        _store = store;
        _http = http;
        _constraint = new CallConstraint(this);
        Engine = new Engine(o =>
        {
            o.Strict = false;                              // SCR-63: sloppy unless the script says "use strict"
            o.DisableStringCompilation();                  // SCR-50: no eval / Function (our throwers answer first)
            o.AgentCanSuspend = false;                     // Atomics.wait must never park the script thread
            o.Constraints.StackOverflowGuard = true;       // recursion through toString, Proxy traps or JSON ends in an error, not a crash
            o.LimitRecursion(limits.MaxRecursionDepth);    // SCR-43
            o.MaxStatements(limits.MaxStatements);         // SCR-42
            o.Constraints.MaxArraySize = ArraySizeLimit(limits.MaxArrayLength);
            o.Constraints.RegexTimeout = limits.TimeLimit; // SCR-44a: never the process-wide default
            o.Json.MaxParseDepth = limits.MaxJsonDepth;    // IN-18, SCR-44a
            o.Constraint(_constraint);                     // SCR-41, SCR-44: time without I/O, deadline, cancellation, allocation
            o.TimeSystem = new ScriptTimeSystem(timeProvider); // SCR-73
            o.TimeZone = TimeZoneInfo.Utc;
            o.Culture = CultureInfo.InvariantCulture;
        });
        Json = new JsonBridge(Engine, limits, () => Current);
        CaptureIntrinsics();
        InstallSandbox();
        InstallBounds();
        InstallGlobals(helpers);
    }

    public Engine Engine { get; }

    public JsonBridge Json { get; }

    public ScriptLimits Limits { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the accounting of the engine entry in progress.</summary>
    public CallContext Current => _current ?? throw new InvalidOperationException("No engine entry is in progress.");

    /// <summary>Gets the accounting of the engine entry in progress, or <see langword="null"/>.</summary>
    internal CallContext? CurrentOrNull => _current;

    /// <summary>Jint checks the capacity of an array's backing store, which grows by doubling, against
    /// <c>MaxArraySize</c>; twice <c>MaxArrayLength</c> lets an array of <c>MaxArrayLength</c> elements really fit
    /// (SCR-44a). The bounded built-ins check the length itself.</summary>
    internal static uint ArraySizeLimit(int maxArrayLength) => (uint)Math.Min((long)maxArrayLength * 2, uint.MaxValue - 1);

    /// <summary>Runs <paramref name="body"/> as one engine entry accounted to <paramref name="context"/>.</summary>
    public T Enter<T>(CallContext context, Func<T> body)
    {
        _current = context;
        context.BeginEntry();
        Engine.Constraints.Reset();
        try
        {
            return body();
        }
        finally
        {
            context.EndEntry();
            _current = null;
        }
    }

    /// <summary>Runs a prepared script (top-level code) in this realm; SCR-63's free names become writable globals
    /// first.</summary>
    public void Execute(in Prepared<Script> prepared, IReadOnlyList<string> freeAssignments)
    {
        var global = Engine.Global;
        foreach (var name in freeAssignments)
        {
            if (!global.HasProperty(name))
            {
                global.FastSetProperty(name, new PropertyDescriptor(JsValue.Undefined, PropertyFlag.ConfigurableEnumerableWritable));
            }
        }

        Engine.Execute(in prepared);
    }

    /// <summary>Gets the intrinsic <c>Date</c> constructor, taken before any script runs (SCR-70's dates are made with it
    /// even if a script replaces the global).</summary>
    public JsValue DateConstructor { get; private set; } = JsValue.Undefined;

    /// <summary>Takes the intrinsics the host uses before any script can replace them.</summary>
    private void CaptureIntrinsics()
    {
        var global = Engine.Global;
        DateConstructor = global.Get("Date");
        _promiseThen = global.Get("Promise").Get("prototype").Get("then");
    }

    /// <summary>SEC-15, SCR-50: no <c>eval</c>, no <c>Function</c> constructor however reached, and none of the
    /// binary-buffer globals.</summary>
    private void InstallSandbox()
    {
        var global = Engine.Global;
        var evalError = (global::Jint.Native.Error.ErrorConstructor)global.Get("EvalError");
        foreach (var name in RemovedGlobals)
        {
            global.RemoveOwnProperty(name);
        }

        var notAllowed = new ClrFunction(Engine, "eval", (_, _) => throw new JavaScriptException(evalError, "not allowed"), 1, PropertyFlag.Configurable);
        global.FastSetProperty("eval", new PropertyDescriptor(notAllowed, PropertyFlag.Configurable | PropertyFlag.Writable));
        // A script function, so that both Function(...) and new Function(...) throw EvalError (a ClrFunction cannot
        // be constructed).
        var functionConstructor = Engine.Evaluate(in FunctionThrower).AsObject();
        global.FastSetProperty("Function", new PropertyDescriptor(functionConstructor, PropertyFlag.Configurable | PropertyFlag.Writable));

        // (function(){}).constructor, (async function(){}).constructor, function*(){} and async function*(){}.
        var prototypes = Engine.Evaluate(in FunctionPrototypes).AsArray();
        for (uint i = 0; i < prototypes.Length; i++)
        {
            prototypes[i].AsObject().FastSetProperty("constructor", new PropertyDescriptor(functionConstructor, PropertyFlag.Configurable | PropertyFlag.Writable));
        }

        functionConstructor.Set("prototype", prototypes[0]); // f instanceof Function still holds
    }

    /// <summary>Defines a hidden (non-enumerable) native function.</summary>
    private ClrFunction Define(ObjectInstance target, string name, int length, Func<JsValue, JsValue[], JsValue> body)
    {
        var function = new ClrFunction(Engine, name, body, length, PropertyFlag.Configurable);
        target.FastSetProperty(name, new PropertyDescriptor(function, PropertyFlag.Configurable | PropertyFlag.Writable));
        return function;
    }

    private JavaScriptException Error(string message) => new(Engine.Intrinsics.Error, message);

    private JavaScriptException TypeError(string message) => new(Engine.Intrinsics.TypeError, message);

    private JsObject NewObject() => new(Engine);
}

/// <summary><c>Date</c> on the host's <see cref="TimeProvider"/> (SCR-73), in UTC.</summary>
internal sealed class ScriptTimeSystem(TimeProvider timeProvider) : DefaultTimeSystem(TimeZoneInfo.Utc, CultureInfo.InvariantCulture)
{
    public override DateTimeOffset GetUtcNow() => timeProvider.GetUtcNow();
}

/// <summary>The prepared forms of the <c>_</c> and <c>s</c> helpers (SCR-55, SCR-56), parsed once per host and
/// evaluated in a realm on first access (SCR-50).</summary>
internal sealed class ScriptHelpers(TimeSpan regexTimeout)
{
    private readonly Lazy<Prepared<Script>> _underscore = new(() => Prepare("Underscore.js", regexTimeout));
    private readonly Lazy<Prepared<Script>> _underscoreString = new(() => Prepare("UnderscoreString.js", regexTimeout));

    public Prepared<Script> Underscore => _underscore.Value;

    public Prepared<Script> UnderscoreString => _underscoreString.Value;

    private static Prepared<Script> Prepare(string file, TimeSpan regexTimeout)
    {
        var name = typeof(ScriptHelpers).Namespace + "." + file;
        using var stream = typeof(ScriptHelpers).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return Engine.PrepareScript(reader.ReadToEnd(), file, options: Compilation.ScriptCompiler.PreparationOptions(regexTimeout));
    }
}
