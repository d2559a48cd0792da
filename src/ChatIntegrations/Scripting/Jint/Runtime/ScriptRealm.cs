using System.Globalization;
using ChatIntegrations.Scripting.Jint.Compilation;
using ChatIntegrations.Scripting.Jint.Http;
using ChatIntegrations.Scripting.Jint.Instances;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Parser.Ast;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>
/// One sandboxed Jint engine (a realm, SCR-72) with the globals of SCR-50, the bounded built-ins of SCR-44a and
/// the checkpoint of SCR-44. CLR access is never enabled.
/// </summary>
/// <remarks>Not thread-safe: one engine entry at a time, always on a script thread.</remarks>
internal sealed partial class ScriptRealm
{
    private readonly RegexGuard _regex = new();
    private readonly ScriptStore? _store;
    private readonly IScriptHttpClient? _http;
    private readonly Options _options;
    private CallContext? _current;

    private ScriptRealm(ScriptLimits limits, TimeProvider timeProvider, ScriptStore? store, IScriptHttpClient? http)
    {
        Limits = limits;
        TimeProvider = timeProvider;
        _store = store;
        _http = http;
        var backstop = limits.TimeLimit > limits.InstantiateTimeLimit ? limits.TimeLimit : limits.InstantiateTimeLimit;

        // SEC-15: no AllowClr; sloppy mode (SCR-63); Jint's own timeout, statement and recursion limits are the
        // per-statement checks of SCR-41; the checkpoint adds deadline, allocation and stack checks.
        Options? options = null;
        Engine = new Engine(o => (options = o)
            .TimeoutInterval(backstop)
            .MaxStatements(limits.MaxStatements)
            .LimitRecursion(limits.MaxRecursionDepth)
            .Strict(false)
            .Culture(CultureInfo.InvariantCulture)
            .LocalTimeZone(TimeZoneInfo.Utc));
        _options = options!; // Engine.Options is internal in Jint 2.10.4; the instance is kept to lift the statement limit
        Json = new JsonBridge(Engine, limits, () => Current);
        InstallSandbox();
        InstallBoundedBuiltIns();
        InstallGlobals();
        InstallNativeAsyncHelpers();
    }

    public Engine Engine { get; }

    public JsonBridge Json { get; }

    public ScriptLimits Limits { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the accounting of the engine entry in progress.</summary>
    public CallContext Current => _current ?? throw new InvalidOperationException("No engine entry is in progress.");

    /// <summary>Creates a realm and runs the runtime prelude in it, on the calling (script) thread.</summary>
    /// <remarks>With a prelude, <c>_</c> and <c>s</c> (<paramref name="underscore"/>, <paramref name="underscoreString"/>)
    /// are installed as lazy getters (SCR-50) and the prelude's promise helpers are bound (SCR-62).</remarks>
    public static ScriptRealm Create(ScriptLimits limits, TimeProvider timeProvider, ScriptStore? store, IScriptHttpClient? http, Program? prelude, CallContext context, Func<Program?>? underscore = null, Func<Program?>? underscoreString = null)
    {
        var realm = new ScriptRealm(limits, timeProvider, store, http);
        if (prelude is not null)
        {
            realm.Enter(context, () => realm.Unmetered(() => realm.Engine.Execute(prelude)));
            realm.BindPromiseHelpers();
            if (underscore is not null)
            {
                realm.InstallHelper("_", underscore);
            }

            if (underscoreString is not null)
            {
                realm.InstallHelper("s", underscoreString);
            }
        }

        return realm;
    }

    /// <summary>Runs <paramref name="body"/> as one engine entry accounted to <paramref name="context"/>.</summary>
    public T Enter<T>(CallContext context, Func<T> body)
    {
        _current = context;
        context.BeginEntry();
        Engine.ResetTimeoutTicks();
        Engine.ResetStatementsCount();
        Engine.ResetCallStack();
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

    /// <summary>Runs realm set-up (the runtime prelude) without the statement limit: <c>MaxStatements</c> bounds script
    /// code per call (SCR-41), and the prelude alone runs more statements than its lowest allowed value. The time,
    /// allocation and recursion limits of the entry still apply.</summary>
    private T Unmetered<T>(Func<T> body)
    {
        _options.MaxStatements(0);
        try
        {
            return body();
        }
        finally
        {
            _options.MaxStatements(Limits.MaxStatements);
            Engine.ResetStatementsCount();
        }
    }

    /// <summary>Defines a hidden (non-enumerable) native function.</summary>
    private ClrFunctionInstance Define(ObjectInstance target, string name, int length, Func<JsValue, JsValue[], JsValue> body, bool writable = true)
    {
        var function = new ClrFunctionInstance(Engine, body, length);
        target.FastSetProperty(name, new PropertyDescriptor(function, writable, false, writable));
        return function;
    }

    private JavaScriptException Error(string message) => new(Engine.Error, message);

    private JavaScriptException TypeError(string message) => new(Engine.TypeError, message);
}
