using System.Diagnostics;
using ChatIntegrations.Scripting.Jint.Http;
using global::Jint;
using global::Jint.Native;
using global::Jint.Native.Object;
using global::Jint.Runtime;
using global::Jint.Runtime.Descriptors;
using global::Jint.Runtime.Interop;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>The promise side of a realm (SCR-53, SCR-62): <c>fetch</c> on Jint's own promises, and the settling
/// of a hook's promise that the host's job loop waits for.</summary>
internal sealed partial class ScriptRealm
{
    private JsValue? _promiseThen;

    /// <summary>Watches a hook's promise (SCR-62): reactions record its outcome when the job queue runs them. The
    /// intrinsic <c>Promise.prototype.then</c> is taken before any script runs, so a script cannot intercept it.</summary>
    public PromiseWatch Watch(JsValue promise)
    {
        var watch = new PromiseWatch();
        var onFulfilled = new ClrFunction(Engine, string.Empty, (_, a) =>
        {
            watch.Settle(fulfilled: true, At(a, 0));
            return JsValue.Undefined;
        }, 1);
        var onRejected = new ClrFunction(Engine, string.Empty, (_, a) =>
        {
            watch.Settle(fulfilled: false, At(a, 0));
            return JsValue.Undefined;
        }, 1);
        _promiseThen!.Call(promise, [onFulfilled, onRejected]);
        return watch;
    }

    /// <summary>Reads a promise that has already settled, without running script code: returns <see langword="true"/>
    /// with its value when it is fulfilled, throws its reason as a script error when it is rejected (SCR-1, SCR-48),
    /// and returns <see langword="false"/> when it is still pending.</summary>
    public static bool TrySettled(JsValue promise, out JsValue value)
    {
        try
        {
            // With a cancelled token, Jint answers at once for a settled promise and cancels for a pending one.
            value = promise.UnwrapIfPromise(AlreadyCancelled);
            return true;
        }
        catch (PromiseRejectedException ex)
        {
            throw new JavaScriptException(ex.RejectedValue);
        }
        catch (OperationCanceledException)
        {
            value = JsValue.Undefined;
            return false;
        }
    }

    private static readonly CancellationToken AlreadyCancelled = new(canceled: true);

    /// <summary>Runs the queued promise jobs (SCR-62), under the limits of the entry in progress.</summary>
    public void DrainMicrotasks() => Engine.Advanced.ProcessTasks();

    private JsValue Resolved(JsValue value)
    {
        var deferred = Engine.Advanced.RegisterPromise();
        deferred.Resolve(value);
        return deferred.Promise;
    }

    private JsValue Rejected(JsValue reason)
    {
        var deferred = Engine.Advanced.RegisterPromise();
        deferred.Reject(reason);
        return deferred.Promise;
    }

    private JsValue NewError(ObjectInstance constructor, string message) =>
        Engine.Construct(constructor, [new JsString(message)]);

    /// <summary>SCR-53: <c>fetch(url, init?)</c>. Starts the request through the same outbound client as <c>HTTP</c>
    /// and returns a promise that the host's job loop settles on the script thread when the I/O completes.</summary>
    private JsValue Fetch(JsValue[] args)
    {
        var context = BeginHttpCall("fetch");

        ScriptHttpRequest request;
        bool wallBound;
        try
        {
            request = BuildFetchRequest(At(args, 0), At(args, 1), context, out wallBound);
        }
        catch (FormatException ex)
        {
            return Rejected(NewError(Engine.Intrinsics.TypeError, "fetch failed: " + ex.Message));
        }

        var deferred = Engine.Advanced.RegisterPromise();
        long started = Stopwatch.GetTimestamp();
        try
        {
            context.StartIo(_http, request, wallBound, deferred.Resolve, deferred.Reject);
        }
        finally
        {
            context.ExcludeElapsed(Stopwatch.GetTimestamp() - started);
        }

        return deferred.Promise;
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
                if (ho.IsArray())
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

                fetch.Reject(FetchFailed("ETIMEDOUT", "timeout"));
                return;
            }

            fetch.Reject(FetchFailed(null, ex?.Message ?? "request failed"));
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
            fetch.Reject(FetchFailed(response.ErrorCode, response.ErrorMessage ?? response.ErrorCode ?? "request failed"));
            return;
        }

        fetch.Resolve(NewResponse(response, fetch.Url));
    }

    private JsValue FetchFailed(string? code, string reason)
    {
        var error = NewError(Engine.Intrinsics.TypeError, "fetch failed: " + reason).AsObject();
        if (code is not null)
        {
            var cause = NewObject();
            cause.FastSetDataProperty("code", new JsString(code));
            error.FastSetProperty("cause", new PropertyDescriptor(cause, PropertyFlag.Configurable | PropertyFlag.Writable));
        }

        return error;
    }

    /// <summary>SCR-53: the Response-like object.</summary>
    private ObjectInstance NewResponse(ScriptHttpResponse response, Uri requested)
    {
        int status = response.StatusCode!.Value;
        var result = NewObject();
        result.FastSetDataProperty("status", JsNumber.Create(status));
        result.FastSetDataProperty("statusText", new JsString(response.StatusText));
        result.FastSetDataProperty("ok", status is >= 200 and < 300 ? JsBoolean.True : JsBoolean.False);
        result.FastSetDataProperty("url", new JsString((response.Url ?? requested).ToString()));
        result.FastSetDataProperty("redirected", response.Redirected ? JsBoolean.True : JsBoolean.False);

        var names = response.Headers.Keys.Select(k => k.ToLowerInvariant()).Order(StringComparer.Ordinal).ToArray();
        var lookup = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in response.Headers)
        {
            lookup[name] = value;
        }

        var headers = NewObject();
        Define(headers, "get", 1, (_, a) =>
        {
            Current.CheckTimeAndMemory();
            return lookup.TryGetValue(TypeConverter.ToString(At(a, 0)), out var v) ? new JsString(v) : JsValue.Null;
        });
        Define(headers, "has", 1, (_, a) => lookup.ContainsKey(TypeConverter.ToString(At(a, 0))) ? JsBoolean.True : JsBoolean.False);
        Define(headers, "forEach", 1, (self, a) =>
        {
            var callback = At(a, 0);
            if (!callback.IsCallable())
            {
                throw TypeError("The \"callback\" argument must be of type function");
            }

            foreach (var name in names)
            {
                Current.CheckTimeAndMemory();
                callback.Call(At(a, 1), [new JsString(lookup[name]), new JsString(name), self]);
            }

            return JsValue.Undefined;
        });
        result.FastSetDataProperty("headers", headers);

        // The body can be read more than once (SCR-53); a body over the limit rejects on reading.
        Define(result, "text", 0, (_, _) =>
        {
            Current.CheckTimeAndMemory();
            return response.TooLarge ? Rejected(NewError(Engine.Intrinsics.TypeError, "response too large")) : Resolved(new JsString(response.Body));
        });
        Define(result, "json", 0, (_, _) =>
        {
            Current.Check();
            if (response.TooLarge)
            {
                return Rejected(NewError(Engine.Intrinsics.TypeError, "response too large"));
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
internal sealed class PendingFetch(Task<ScriptHttpResponse> task, Uri url, bool wallBound, Action<JsValue> resolve, Action<JsValue> reject, CancellationTokenSource timeout, CancellationTokenSource linked)
{
    /// <summary>Gets a value indicating whether the request's timeout was cut to the call's wall-clock deadline.</summary>
    public bool WallBound { get; } = wallBound;

    public Task<ScriptHttpResponse> Task { get; } = task;

    public Uri Url { get; } = url;

    public Action<JsValue> Resolve { get; } = resolve;

    public Action<JsValue> Reject { get; } = reject;

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

/// <summary>The outcome of a hook's promise, recorded by reactions the host attached (SCR-62).</summary>
internal sealed class PromiseWatch
{
    public bool Settled { get; private set; }

    public bool Fulfilled { get; private set; }

    public JsValue Value { get; private set; } = JsValue.Undefined;

    public void Settle(bool fulfilled, JsValue value)
    {
        Settled = true;
        Fulfilled = fulfilled;
        Value = value;
    }
}
