using System.Diagnostics;
using System.Runtime.CompilerServices;
using ChatIntegrations.Scripting.Jint.Http;
using Jint.Native;
using Jint.Native.Object;
using Jint.Parser.Ast;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>The promise side of a realm (SCR-62): the prelude's microtask queue and promise helpers, <c>fetch</c>
/// (SCR-53) and the lazy <c>_</c> and <c>s</c> helpers (SCR-50).</summary>
internal sealed partial class ScriptRealm
{
    private ObjectInstance? _ci;
    private ICallable? _drain;
    private ObjectInstance? _jobQueue;
    private ICallable? _promiseState;
    private ICallable? _isPromise;
    private ICallable? _newDeferred;

    private ObjectInstance? _genProto;
    private ObjectInstance? _promiseProto;
    private JsValue _normalCompletion = JsValue.Undefined;

    /// <summary>Hot internals of the prelude's async driver done natively (each script-function call costs Jint 2.x an
    /// environment and an arguments object; a CLR function does not). Defined before the prelude runs as the hidden
    /// global <c>__ciNative</c>, which the prelude takes and deletes; without it (the front end's own test runner) the
    /// prelude uses its JavaScript versions, which these mirror field for field.</summary>
    private void InstallNativeAsyncHelpers()
    {
        var native = Engine.Object.Construct(Arguments.Empty);
        Define(native, "init", 3, (_, a) =>
        {
            // The prelude's GenContext.prototype, Promise.prototype and shared normal completion record.
            _genProto = a.At(0).IsObject() ? a.At(0).AsObject() : null;
            _promiseProto = a.At(1).IsObject() ? a.At(1).AsObject() : null;
            _normalCompletion = a.At(2);
            _runAsync = a.At(3).AsCallable();
            _awaitValue = a.At(4).AsCallable();
            _resolvePromise = a.At(5).AsCallable();
            _cont = a.At(6);
            _asyncJobs = a.At(7).IsObject() ? a.At(7).AsObject() : null;
            _awaitThenable = a.At(8).AsCallable();
            if (_genProto is not null && _awaitThenable is not null)
            {
                Define(_genProto, "aw", 2, (self, v) => AwaitInline(self, v.At(0), v.At(1)));
                Define(_genProto, "ret", 1, (self, v) => ReturnFromBody(self, v.At(0)));
            }

            if (_runAsync is null || _awaitValue is null || _resolvePromise is null)
            {
                _runAsync = null;
            }

            return JsValue.Undefined;
        });
        Define(native, "newAsync", 1, (_, a) => NewAsyncContext(a.At(0)));
        Define(native, "async", 2, (_, a) => StartAsync(a.At(0), a.At(1)));
        Define(native, "asyncAt", 2, (_, a) => StartAsync(StateFunctionAt(a.At(0)), a.At(1)));
        Engine.Global.FastSetProperty("__ciNative", new PropertyDescriptor(native, true, false, true));
    }

    /// <summary>What the prelude's <c>__ci.async</c> builds for a body without <c>try</c> blocks: a GenContext
    /// (<c>body, n, p, sent, done, rval, t, ap</c>; an async function needs no <c>dg</c> or <c>st</c>) whose <c>ap</c>
    /// is a new pending promise.</summary>
    private JsValue NewAsyncContext(JsValue body) => NewAsyncContext(body, withPromise: true);

    private JsValue NewAsyncContext(JsValue body, bool withPromise)
    {
        if (_genProto is null || _promiseProto is null)
        {
            return JsValue.Undefined;
        }

        var g = new AsyncContextInstance(Engine, _genProto, body, _newRootTries ??= NewRootTries);
        if (withPromise)
        {
            g.Promise = NewOwnPromise();
        }

        return g;
    }

    private Func<ObjectInstance>? _newRootTries;

    /// <summary>The try table of a state machine with its root entry only (<c>[{ tryLoc: 'root', completion: NORMAL }]</c>).</summary>
    private ObjectInstance NewRootTries()
    {
        var root = Engine.Object.Construct(Arguments.Empty);
        root.FastAddProperty("tryLoc", new JsValue("root"), true, true, true);
        root.FastAddProperty("completion", _normalCompletion, true, true, true);
        var tries = Engine.Array.Construct(Arguments.Empty);
        tries.Put("0", root, true);
        return tries;
    }

    /// <summary>A pending prelude promise, as the prelude's <c>newPromise()</c> builds it.</summary>
    private ObjectInstance NewOwnPromise()
    {
        var promise = new ObjectInstance(Engine) { Prototype = _promiseProto, Extensible = true };
        var record = Engine.Object.Construct(Arguments.Empty);
        record.FastAddProperty("s", new JsValue(0), true, true, true);
        record.FastAddProperty("v", JsValue.Undefined, true, true, true);
        record.FastAddProperty("r", JsValue.Null, true, true, true);
        promise.FastAddProperty("__ciP", record, false, false, false);
        return promise;
    }

    private ObjectInstance? _asyncJobs;

    /// <summary>The prelude's <c>__ci.async(body, tries?)</c> natively: builds the state machine and its promise and
    /// runs the first step, handing every uncommon case to the prelude's own functions where they would take over.</summary>
    /// <remarks>It is called from script code, so Jint counts the call against <c>MaxRecursionDepth</c>; the body it
    /// calls from here is not, so the remaining stack is checked here as <c>__ci_cp</c> does (SCR-43/44): a deep
    /// recursion through async functions ends with <c>recursion-limit</c>, never a stack overflow.</remarks>
    private JsValue StartAsync(JsValue body, JsValue tries)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new LimitHitException(ScriptReasons.RecursionLimit, "the script thread is out of stack");
        }

        var direct = TakeDirectHookStart();
        var context = _runAsync is null || _asyncJobs is null ? JsValue.Undefined : NewAsyncContext(body, withPromise: !direct);
        if (!context.IsObject())
        {
            throw new JavaScriptException(Engine.TypeError, "async functions are not available");
        }

        var g = context.AsObject();
        if (tries.IsObject())
        {
            var table = tries.AsObject();
            uint count = TypeConverter.ToUint32(table.Get("length"));
            if (count > 0)
            {
                var t = g.Get("t").AsObject();
                for (uint i = 0; i < count; i++)
                {
                    var e = table.Get(JsonBridge.Index(i)).AsObject();
                    var entry = Engine.Object.Construct(Arguments.Empty);
                    entry.FastAddProperty("tryLoc", e.Get("0"), true, true, true);
                    entry.FastAddProperty("catchLoc", e.Get("1"), true, true, true);
                    entry.FastAddProperty("finallyLoc", e.Get("2"), true, true, true);
                    entry.FastAddProperty("afterLoc", e.Get("3"), true, true, true);
                    entry.FastAddProperty("completion", _normalCompletion, true, true, true);
                    t.Put(JsonBridge.Index(i + 1), entry, true);
                }
            }
        }

        // The hook's own start (direct) makes its promise only when something needs it: a body that finishes
        // inline hands its value to the host without one (TakeDirectResult).
        var ap = direct ? JsValue.Undefined : g.Get("ap");
        var callable = body.AsCallable() ?? throw new JavaScriptException(Engine.TypeError, "body is not a function");
        if (RunSteps(g, callable, direct, ref ap, out var result))
        {
            _directResult = result;
            return _directMarker ??= new ObjectInstance(Engine) { Prototype = null, Extensible = false };
        }

        return ap;
    }

    /// <summary>Steps the state machine <paramref name="g"/> until it suspends or finishes: the prelude's
    /// <c>runAsync</c> for its common path, natively, handing every uncommon case (a throw, a CONT step, a thenable or a
    /// promise to await) to the prelude's own functions where they would take over, so the observable steps are the
    /// same. With <paramref name="inline"/> (the caller is the host's own start of the hook, or the drain loop running
    /// this machine's continuation), an await of a plain value continues at once when nothing else is queued.</summary>
    /// <param name="g">The state machine.</param>
    /// <param name="body">Its state function.</param>
    /// <param name="inline">Whether its continuation is the next job whenever the queue is empty.</param>
    /// <param name="ap">The function's promise; undefined until needed (the host's own start), then made here.</param>
    /// <param name="result">The value when the body finished without a promise ever being made.</param>
    /// <returns><see langword="true"/> when the body finished with a plain value and no promise was made.</returns>
    private bool RunSteps(ObjectInstance g, ICallable body, bool inline, ref JsValue ap, out JsValue result)
    {
        var runAsync = _runAsync!;
        var jobs = _asyncJobs!;
        JsValue[] argument = [g];
        result = JsValue.Undefined;
        while (true)
        {
            JsValue output;
            var outer = _inlineContext;
            try
            {
                _inlineContext = inline ? g : null;
                output = body.Call(g, argument);
            }
            catch (JavaScriptException ex)
            {
                EnsurePromise(g, ref ap);
                runAsync.Call(JsValue.Undefined, [g, new JsValue(2), ex.Error]);
                return false;
            }
            finally
            {
                _inlineContext = outer;
            }

            if (IsHandled(output))
            {
                EnsurePromise(g, ref ap); // aw took the queue's path itself: a job or a reaction resumes the body
                return false;
            }

            if (output.IsObject() && _cont.IsObject() && ReferenceEquals(output.AsObject(), _cont.AsObject()))
            {
                EnsurePromise(g, ref ap);
                runAsync.Call(JsValue.Undefined, [g, new JsValue(1), g.Get("sent")]);
                return false;
            }

            var done = g.Get("done");
            if (done.IsBoolean() && done.AsBoolean())
            {
                if (ap.IsUndefined() && IsPlainResult(output))
                {
                    result = output;
                    return true;
                }

                ResolveOwn(EnsurePromise(g, ref ap), output);
                return false;
            }

            // An await: of a value that is not a thenable, one job resumes the body with it (now, when that job would
            // be the next); a thenable is set up by ClassifyAwait; a promise goes to the prelude's awaitValue.
            var awaited = ClassifyAwait(g, output);
            if (awaited == Awaited.Queued)
            {
                EnsurePromise(g, ref ap);
                return false;
            }

            if (awaited == Awaited.Plain)
            {
                if (inline && QueueIsEmpty(jobs))
                {
                    g.Put("sent", output, true);
                    continue;
                }

                EnsurePromise(g, ref ap);
                Enqueue(runAsync, g, new JsValue(1), output);
                return false;
            }

            EnsurePromise(g, ref ap);
            try
            {
                _awaitValue!.Call(JsValue.Undefined, [g, output]);
            }
            catch (JavaScriptException ex)
            {
                // An abrupt PromiseResolve throws at the await.
                runAsync.Call(JsValue.Undefined, [g, new JsValue(2), ex.Error]);
            }

            return false;
        }
    }

    private JsValue EnsurePromise(ObjectInstance g, ref JsValue ap)
    {
        if (ap.IsUndefined())
        {
            ap = NewOwnPromise();
            g.Put("ap", ap, true);
        }

        return ap;
    }

    /// <summary>The prelude's <c>resolvePromise(ap, value)</c> for an async function's own promise: settled here when
    /// nothing awaits it yet and the value is not a thenable (no <c>then</c> anywhere on it, so reading it again in the
    /// prelude could not be observed either); otherwise the prelude's function.</summary>
    private void ResolveOwn(JsValue ap, JsValue value)
    {
        if (ap.IsObject() && IsPlainResult(value)
            && ap.AsObject().GetOwnProperty("__ciP") is { Value: { } own } && own.IsObject()
            && own.AsObject().Get("r").IsNull() && own.AsObject().Get("s") is { } state && state.IsNumber())
        {
            if (state.AsNumber() == 0)
            {
                var record = own.AsObject();
                record.Put("s", new JsValue(1), true);
                record.Put("v", value, true);
            }

            return;
        }

        _resolvePromise!.Call(JsValue.Undefined, [ap, value]);
    }

    private JsValue _directResult = JsValue.Undefined;
    private ObjectInstance? _directMarker;

    /// <summary>Returns whether resolving a promise with <paramref name="value"/> fulfils it at once with no observable
    /// step: not an object, or an object with no <c>then</c> anywhere on its prototype chain.</summary>
    private static bool IsPlainResult(JsValue value) =>
        !value.IsObject() || value.AsObject().GetProperty("then") == PropertyDescriptor.Undefined;

    /// <summary>What the host's hook call returned: the value of an async hook that finished inline (its promise was
    /// never needed), or <paramref name="returned"/> itself.</summary>
    public JsValue TakeDirectResult(JsValue returned)
    {
        if (_directMarker is not null && returned.IsObject() && ReferenceEquals(returned.AsObject(), _directMarker))
        {
            var value = _directResult;
            _directResult = JsValue.Undefined;
            return value;
        }

        return returned;
    }

    /// <summary>Gets a value indicating whether the prelude (and so <c>Promise</c> and the job queue) is loaded.</summary>
    public bool HasPromises => _drain is not null;

    /// <summary>Looks up the prelude's <c>__ci</c> helpers; called once after the prelude ran.</summary>
    private void BindPromiseHelpers()
    {
        var ci = Engine.Global.Get("__ci");
        if (!ci.IsObject())
        {
            return;
        }

        _ci = ci.AsObject();
        _drain = _ci.Get("drainMicrotasks").AsCallable();
        var queue = _ci.Get("jobQueue");
        _jobQueue = queue.IsObject() ? queue.AsObject() : null;
        _promiseState = _ci.Get("promiseState").AsCallable();
        _isPromise = _ci.Get("isPromise").AsCallable();
        _newDeferred = _ci.Get("newDeferred").AsCallable();
        if (_promiseState is null || _isPromise is null || _newDeferred is null)
        {
            _drain = null;
        }
    }

    /// <summary>Runs promise jobs until the queue is empty (inside an engine entry). An empty queue, the common case
    /// for synchronous hooks, is seen from the queue's length without calling into the engine.</summary>
    /// <remarks>With the native helpers installed, the loop of <c>__ci.drainMicrotasks</c> runs here: a job is four
    /// slots of <c>__ci.jobQueue</c> (function, three arguments), called as <c>fn(a, b, c)</c>; jobs enqueued meanwhile
    /// run in the same drain; the consumed head is cut off every 16384 slots and the queue emptied at the end. A
    /// throwing job leaves the rest queued, as the prelude's loop does.</remarks>
    public void DrainMicrotasks()
    {
        if (_drain is null) return;
        if (_jobQueue is null || _genProto is null)
        {
            if (_jobQueue is not null && TypeConverter.ToNumber(_jobQueue.Get("length")) == 0) return;
            _drain.Call(_ci!, Arguments.Empty);
            return;
        }

        var jobs = _jobQueue;
        if (TypeConverter.ToNumber(jobs.Get("length")) == 0) return;
        while (true)
        {
            var length = (long)TypeConverter.ToNumber(jobs.Get("length"));
            if (_jobHead >= length)
            {
                break;
            }

            long i = _jobHead;
            var fn = jobs.Get(Index(i));
            JsValue[] args = [jobs.Get(Index(i + 1)), jobs.Get(Index(i + 2)), jobs.Get(Index(i + 3))];
            _jobHead = i + 4;
            if (_jobHead >= 16384)
            {
                jobs.Get("splice").AsCallable()!.Call(jobs, [new JsValue(0), new JsValue(_jobHead)]);
                _jobHead = 0;
            }

            var callable = fn.AsCallable() ?? throw new JavaScriptException(Engine.TypeError, "microtask is not a function");
            if (ReferenceEquals(callable, _runAsync) && args[0].IsObject())
            {
                ResumeAsync(args[0].AsObject(), args[1], args[2]);
            }
            else
            {
                callable.Call(JsValue.Undefined, args);
            }
        }

        if (_jobHead > 0 || TypeConverter.ToNumber(jobs.Get("length")) > 0)
        {
            jobs.Put("length", new JsValue(0), true);
        }

        _jobHead = 0;
    }

    private long _jobHead;
    private ICallable? _runAsync;
    private ICallable? _awaitValue;
    private ICallable? _resolvePromise;
    private JsValue _cont = JsValue.Undefined;

    /// <summary>The prelude's <c>runAsync(g, state, value)</c> job natively for a fulfilled resumption (the steps are
    /// <see cref="RunSteps"/>); a rejection goes to the prelude's own function.</summary>
    private void ResumeAsync(ObjectInstance g, JsValue state, JsValue value)
    {
        if (!state.IsNumber() || state.AsNumber() != 1)
        {
            _runAsync!.Call(JsValue.Undefined, [g, state, value]);
            return;
        }

        g.Put("sent", value, true);
        var body = g.Get("body").AsCallable() ?? throw new JavaScriptException(Engine.TypeError, "body is not a function");
        var ap = g.Get("ap");
        RunSteps(g, body, inline: true, ref ap, out _);
    }

    private void Enqueue(ICallable fn, JsValue a, JsValue b, JsValue c)
    {
        var jobs = (_jobQueue ?? _asyncJobs)!;
        var at = (long)TypeConverter.ToNumber(jobs.Get("length"));
        jobs.Put(Index(at), (ObjectInstance)fn, true);
        jobs.Put(Index(at + 1), a, true);
        jobs.Put(Index(at + 2), b, true);
        jobs.Put(Index(at + 3), c, true);
    }

    private static readonly string[] Indexes = Enumerable.Range(0, 64).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static string Index(long i) => i < Indexes.Length ? Indexes[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Returns whether <paramref name="value"/> is a prelude promise.</summary>
    /// <remarks>The same test as the prelude's <c>__ci.isPromise</c> (an own <c>__ciP</c> slot), done here without a
    /// JavaScript call because every hook result goes through it.</remarks>
    public bool IsPromise(JsValue value) =>
        _isPromise is not null && value.IsObject() && value.AsObject().HasOwnProperty("__ciP");

    /// <summary>Reads the state of a promise: <c>pending</c>, <c>fulfilled</c> or <c>rejected</c>, and its value.</summary>
    /// <remarks>Reads the prelude's promise record (the hidden <c>__ciP</c> slot: <c>s</c> 0 pending, 1 fulfilled,
    /// 2 rejected; <c>v</c> the value) directly, as <c>__ci.promiseState</c> does, without a JavaScript call.</remarks>
    public (string State, JsValue Value) PromiseState(JsValue promise)
    {
        if (!IsPromise(promise))
        {
            return ("fulfilled", promise);
        }

        var slot = promise.AsObject().Get("__ciP");
        var record = slot.IsObject() ? slot.AsObject() : null;
        var state = record?.Get("s") ?? JsValue.Undefined;
        if (record is null || !state.IsNumber())
        {
            var described = _promiseState!.Call(_ci!, [promise]).AsObject();
            return (TypeConverter.ToString(described.Get("state")), described.Get("value"));
        }

        return state.AsNumber() switch
        {
            1 => ("fulfilled", record.Get("v")),
            2 => ("rejected", record.Get("v")),
            _ => ("pending", JsValue.Undefined),
        };
    }

    private (JsValue Promise, ICallable Resolve, ICallable Reject) NewDeferred()
    {
        var d = _newDeferred!.Call(_ci!, Arguments.Empty).AsObject();
        return (d.Get("promise"), d.Get("resolve").AsCallable()!, d.Get("reject").AsCallable()!);
    }

    private JsValue Resolved(JsValue value)
    {
        var (promise, resolve, _) = NewDeferred();
        resolve.Call(JsValue.Undefined, [value]);
        return promise;
    }

    private JsValue Rejected(JsValue reason)
    {
        var (promise, _, reject) = NewDeferred();
        reject.Call(JsValue.Undefined, [reason]);
        return promise;
    }

    private JsValue NewError(ObjectInstance constructor, string message) =>
        ((IConstructor)constructor).Construct([new JsValue(message)]);

    /// <summary>SCR-50: <c>_</c> and <c>s</c> as non-enumerable getters that evaluate the helper on first access,
    /// inside the engine entry that touches them (so under that call's limits, SCR-42), and replace themselves with
    /// the value. Assigning the global first replaces the getter too.</summary>
    private void InstallHelper(string name, Func<Program?> program)
    {
        var global = Engine.Global;
        void Settle(JsValue value) => global.DefineOwnProperty(name, new PropertyDescriptor(value, true, false, true), false);
        var getter = new ClrFunctionInstance(Engine, (_, _) =>
        {
            Current.CheckTimeAndMemory();
            if (program()?.Body.FirstOrDefault() is not ExpressionStatement statement)
            {
                throw Error(name + " is not available");
            }

            var value = Engine.GetValue(Engine.EvaluateExpression(statement.Expression));
            Settle(value);
            return value;
        }, 0);
        var setter = new ClrFunctionInstance(Engine, (_, a) =>
        {
            Settle(a.At(0));
            return JsValue.Undefined;
        }, 1);
        global.FastSetProperty(name, new PropertyDescriptor(getter, setter, false, true));
    }

    /// <summary>SCR-53: <c>fetch(url, init?)</c>. Starts the request through the same outbound client as <c>HTTP</c>
    /// and returns a promise that the host's job loop settles on the script thread when the I/O completes.</summary>
    private JsValue Fetch(JsValue[] args)
    {
        var context = Current;
        context.CheckTimeAndMemory();
        if (context.IsValidation)
        {
            throw Error("not available during validation");
        }

        if (_http is null || !HasPromises)
        {
            throw Error("fetch is not available");
        }

        if (++context.HttpCalls > Limits.MaxHttpCalls)
        {
            throw Error("http call limit exceeded"); // SCR-46
        }

        ScriptHttpRequest request;
        bool wallBound;
        try
        {
            request = BuildFetchRequest(args.At(0), args.At(1), context, out wallBound);
        }
        catch (FormatException ex)
        {
            return Rejected(NewError(Engine.TypeError, "fetch failed: " + ex.Message));
        }

        var (promise, resolve, reject) = NewDeferred();
        long started = Stopwatch.GetTimestamp();
        try
        {
            context.StartIo(_http, request, wallBound, resolve, reject);
        }
        finally
        {
            context.ExcludeElapsed(Stopwatch.GetTimestamp() - started);
        }

        return promise;
    }

    private ScriptHttpRequest BuildFetchRequest(JsValue target, JsValue initValue, CallContext context, out bool wallBound)
    {
        string url = TypeConverter.ToString(target.IsObject() && target.AsObject().Get("url") is { } u && u.IsString() ? u : target);
        var init = initValue.IsObject() ? initValue.AsObject() : null;
        string method = "GET";
        var headers = new List<KeyValuePair<string, string>>();
        string? body = null;
        bool json = false;
        var timeout = TimeSpan.FromMilliseconds(ScriptDefaults.HttpDefaultTimeoutMs);
        var redirect = ScriptRedirectMode.Follow;

        if (init is not null)
        {
            var m = init.Get("method");
            if (!m.IsUndefined() && !m.IsNull())
            {
                method = TypeConverter.ToString(m).ToUpperInvariant();
            }

            var h = init.Get("headers");
            if (h.IsObject())
            {
                var ho = h.AsObject();
                if (ho.Class == "Array")
                {
                    uint n = TypeConverter.ToUint32(ho.Get("length"));
                    context.CheckArrayLength(n);
                    for (uint i = 0; i < n; i++)
                    {
                        var pair = ho.Get(JsonBridge.Index(i));
                        if (!pair.IsObject())
                        {
                            throw new FormatException("invalid header pair");
                        }

                        headers.Add(new(TypeConverter.ToString(pair.AsObject().Get("0")), TypeConverter.ToString(pair.AsObject().Get("1"))));
                    }
                }
                else
                {
                    foreach (var name in JsonBridge.EnumerableKeys(ho))
                    {
                        var v = ho.Get(name);
                        if (!v.IsUndefined())
                        {
                            headers.Add(new(name, TypeConverter.ToString(v)));
                        }
                    }
                }
            }

            var b = init.Get("body");
            if (b.IsString())
            {
                body = b.AsString();
            }
            else if (!b.IsUndefined() && !b.IsNull())
            {
                var text = Json.Stringify(b, JsValue.Undefined, JsValue.Undefined);
                body = text.IsUndefined() ? null : text.AsString();
                json = body is not null;
            }

            if (init.Get("timeout") is { } t && t.IsNumber() && t.AsNumber() > 0)
            {
                timeout = TimeSpan.FromMilliseconds(Math.Min(t.AsNumber(), 120_000));
            }

            var r = init.Get("redirect");
            if (!r.IsUndefined())
            {
                redirect = TypeConverter.ToString(r) switch
                {
                    "follow" => ScriptRedirectMode.Follow,
                    "manual" => ScriptRedirectMode.Manual,
                    "error" => ScriptRedirectMode.Error,
                    var other => throw new FormatException($"invalid redirect mode '{other}'"),
                };
            }
        }

        if (body is not null && method is "GET" or "HEAD")
        {
            throw new FormatException("a GET or HEAD request cannot have a body");
        }

        if (json && !headers.Any(x => x.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new("Content-Type", "application/json"));
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new FormatException("invalid URL " + url);
        }

        // SCR-53: never past the wall-clock deadline.
        var wall = context.RemainingWallClock;
        wallBound = wall <= timeout;
        context.CheckTimeAndMemory();
        return new ScriptHttpRequest
        {
            Method = method,
            Url = uri,
            Headers = headers,
            Body = body,
            Timeout = wall < timeout ? wall : timeout,
            Redirect = redirect,
            MaxBodyBytes = Limits.MaxHttpResponseBytes, // SCR-53, SEC-14
        };
    }

    /// <summary>Settles the promise of a completed <c>fetch</c> on the script thread (inside an engine entry).</summary>
    public void SettleFetch(PendingFetch fetch, CallContext context)
    {
        var task = fetch.Task;
        if (!task.IsCompletedSuccessfully)
        {
            var ex = task.Exception?.GetBaseException();
            if (task.IsCanceled || ex is OperationCanceledException)
            {
                context.CheckTimeAndMemory(); // the caller's cancellation or the wall-clock deadline end the call
                if (!fetch.TimedOut || fetch.WallBound)
                {
                    throw new LimitHitException(ScriptReasons.Timeout, "the wall-clock limit was exceeded");
                }

                fetch.Reject.Call(JsValue.Undefined, [FetchFailed("ETIMEDOUT", "timeout")]);
                return;
            }

            fetch.Reject.Call(JsValue.Undefined, [FetchFailed(null, ex?.Message ?? "request failed")]);
            return;
        }

        var response = task.Result;
        if (response.StatusCode is null && fetch.WallBound && response.ErrorCode == "ETIMEDOUT")
        {
            // SCR-41: the request was cut at the wall-clock deadline, which ends the call.
            throw new LimitHitException(ScriptReasons.Timeout, "the wall-clock limit was exceeded");
        }

        if (response.StatusCode is null)
        {
            fetch.Reject.Call(JsValue.Undefined, [FetchFailed(response.ErrorCode, response.ErrorMessage ?? response.ErrorCode ?? "request failed")]);
            return;
        }

        fetch.Resolve.Call(JsValue.Undefined, [NewResponse(response, fetch.Url)]);
    }

    private JsValue FetchFailed(string? code, string reason)
    {
        var error = NewError(Engine.TypeError, "fetch failed: " + reason).AsObject();
        if (code is not null)
        {
            var cause = Engine.Object.Construct(Arguments.Empty);
            cause.FastAddProperty("code", new JsValue(code), true, true, true);
            error.FastSetProperty("cause", new PropertyDescriptor(cause, true, false, true));
        }

        return error;
    }

    /// <summary>SCR-53: the Response-like object.</summary>
    private ObjectInstance NewResponse(ScriptHttpResponse response, Uri requested)
    {
        int status = response.StatusCode!.Value;
        var result = Engine.Object.Construct(Arguments.Empty);
        result.FastAddProperty("status", new JsValue(status), true, true, true);
        result.FastAddProperty("statusText", new JsValue(response.StatusText), true, true, true);
        result.FastAddProperty("ok", status is >= 200 and < 300 ? JsValue.True : JsValue.False, true, true, true);
        result.FastAddProperty("url", new JsValue((response.Url ?? requested).ToString()), true, true, true);
        result.FastAddProperty("redirected", response.Redirected ? JsValue.True : JsValue.False, true, true, true);

        var names = response.Headers.Keys.Select(k => k.ToLowerInvariant()).Order(StringComparer.Ordinal).ToArray();
        var lookup = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in response.Headers)
        {
            lookup[name] = value;
        }

        var headers = Engine.Object.Construct(Arguments.Empty);
        Define(headers, "get", 1, (_, a) =>
        {
            Current.CheckTimeAndMemory();
            return lookup.TryGetValue(TypeConverter.ToString(a.At(0)), out var v) ? new JsValue(v) : JsValue.Null;
        });
        Define(headers, "has", 1, (_, a) => lookup.ContainsKey(TypeConverter.ToString(a.At(0))) ? JsValue.True : JsValue.False);
        Define(headers, "forEach", 1, (self, a) =>
        {
            var callback = a.At(0).AsCallable() ?? throw TypeError("The \"callback\" argument must be of type function");
            foreach (var name in names)
            {
                Current.CheckTimeAndMemory();
                callback.Call(a.At(1), [new JsValue(lookup[name]), new JsValue(name), self]);
            }

            return JsValue.Undefined;
        });
        result.FastAddProperty("headers", headers, true, true, true);

        // The body can be read more than once (SCR-53); a body over the limit rejects on reading.
        Define(result, "text", 0, (_, _) =>
        {
            Current.CheckTimeAndMemory();
            return response.TooLarge ? Rejected(NewError(Engine.TypeError, "response too large")) : Resolved(new JsValue(response.Body));
        });
        Define(result, "json", 0, (_, _) =>
        {
            Current.Check();
            if (response.TooLarge)
            {
                return Rejected(NewError(Engine.TypeError, "response too large"));
            }

            try
            {
                return Resolved(Json.ParseText(response.Body, throwSyntaxError: true));
            }
            catch (JavaScriptException ex)
            {
                return Rejected(ex.Error);
            }
        });
        return result;
    }
}

/// <summary>One <c>fetch</c> whose I/O runs outside the engine; settled on the script thread by the job loop.</summary>
internal sealed class PendingFetch(Task<ScriptHttpResponse> task, Uri url, bool wallBound, ICallable resolve, ICallable reject, CancellationTokenSource timeout, CancellationTokenSource linked)
{
    /// <summary>Gets a value indicating whether the request's timeout was cut to the call's wall-clock deadline.</summary>
    public bool WallBound { get; } = wallBound;

    public Task<ScriptHttpResponse> Task { get; } = task;

    public Uri Url { get; } = url;

    public ICallable Resolve { get; } = resolve;

    public ICallable Reject { get; } = reject;

    /// <summary>Gets a value indicating whether the request's own timeout (not the call's deadline) fired.</summary>
    public bool TimedOut => timeout.IsCancellationRequested;

    /// <summary>Stops the request's timer; the linked source goes only once the I/O no longer uses it.</summary>
    public void Dispose()
    {
        timeout.Dispose();
        if (Task.IsCompleted)
        {
            linked.Dispose();
        }
    }
}
