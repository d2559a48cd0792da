using System.Diagnostics;
using System.Text;
using ChatIntegrations.Scripting.Jint.Http;
using global::Jint;
using global::Jint.Native;
using global::Jint.Native.Object;
using global::Jint.Runtime;
using global::Jint.Runtime.Descriptors;

namespace ChatIntegrations.Scripting.Jint.Runtime;

internal sealed partial class ScriptRealm
{
    /// <summary>SCR-50: <c>console</c>, <c>Store</c>, <c>HTTP</c> and <c>fetch</c>; <c>s</c> and <c>_</c> are lazy
    /// globals, evaluated in the realm on first access.</summary>
    private void InstallGlobals(ScriptHelpers? helpers)
    {
        var global = Engine.Global;
        var console = NewObject();
        foreach (var level in new[] { "log", "info", "warn", "error", "debug" })
        {
            Define(console, level, 0, (_, args) =>
            {
                Log(level, args);
                return JsValue.Undefined;
            });
        }

        global.FastSetProperty("console", new PropertyDescriptor(console, PropertyFlag.Configurable | PropertyFlag.Writable));

        var store = NewObject();
        Define(store, "set", 2, (_, args) => StoreSet(At(args, 0), At(args, 1)));
        Define(store, "get", 1, (_, args) => StoreGet(At(args, 0)));
        global.FastSetProperty("Store", new PropertyDescriptor(store, PropertyFlag.Configurable | PropertyFlag.Writable));

        Define(global, "HTTP", 3, (_, args) => Http(args));
        Define(global, "fetch", 2, (_, args) => Fetch(args));

        if (helpers is not null)
        {
            // SCR-50: loaded into the realm on first access, so scripts that do not use them pay nothing.
            Engine.Advanced.AddLazyGlobal("_", helpers, static (engine, h) => engine.Evaluate(h.Underscore), PropertyFlag.Configurable | PropertyFlag.Writable);
            Engine.Advanced.AddLazyGlobal("s", helpers, static (engine, h) => engine.Evaluate(h.UnderscoreString), PropertyFlag.Configurable | PropertyFlag.Writable);
        }
    }

    private static JsValue At(JsValue[] args, int index) => index < args.Length ? args[index] : JsValue.Undefined;

    /// <summary>SCR-51: arguments joined with a space, strings as they are, other values as JSON of depth ≤ 5,
    /// cut at 4096 characters with <c>…</c>.</summary>
    private void Log(string level, JsValue[] args)
    {
        var context = Current;
        context.CheckTimeAndMemory();
        if (context.Logs.Count >= ScriptDefaults.ConsoleMaxEntries)
        {
            context.LogsTruncated = true;
            return;
        }

        const int max = ScriptDefaults.ConsoleMaxEntryChars;
        var text = new StringBuilder();
        foreach (var arg in args)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            int room = max + 1 - text.Length;
            if (room <= 0)
            {
                break;
            }

            var part = arg.IsString() ? arg.AsString() : Json.ToConsoleText(arg, room);
            text.Append(part.Length > room ? part[..room] : part);
        }

        var message = text.Length > max ? string.Concat(text.ToString(0, max), "…") : text.ToString();
        context.AddLog(level, message);
    }

    private JsValue StoreSet(JsValue key, JsValue value)
    {
        var context = Current;
        context.Check();
        if (_store is null)
        {
            throw Error("Store is not available");
        }

        var name = TypeConverter.ToString(key);
        var json = Json.Stringify(value, JsValue.Undefined, JsValue.Undefined);
        if (!_store.TrySet(name, json.IsUndefined() ? null : json.AsString(), TimeProvider.GetTimestamp()))
        {
            throw Error("Store limit exceeded");
        }

        return value;
    }

    private JsValue StoreGet(JsValue key)
    {
        Current.Check();
        var json = _store?.Get(TypeConverter.ToString(key), TimeProvider.GetTimestamp());
        return json is null ? JsValue.Undefined : Json.ParseText(json, throwSyntaxError: true);
    }

    /// <summary>SCR-54: the legacy synchronous <c>HTTP(method, url, options)</c>.</summary>
    /// <remarks>The script contract is synchronous, so the script thread blocks on the asynchronous client
    /// (sync-over-async, isolated here). The wait is excluded from the script time limit (SCR-41) and bounded by
    /// the request timeout and the wall-clock deadline.</remarks>
    private JsValue Http(JsValue[] args)
    {
        var context = BeginHttpCall("HTTP");

        ScriptHttpRequest request;
        try
        {
            request = BuildHttpRequest(args, context);
        }
        catch (FormatException ex)
        {
            return HttpError(ex.Message, null);
        }

        long started = Stopwatch.GetTimestamp();
        ScriptHttpResponse response;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            var wall = context.RemainingWallClock;
            bool wallBound = wall <= request.Timeout;
            timeout.CancelAfter(wallBound ? wall : request.Timeout);
            try
            {
                response = _http.SendAsync(request, timeout.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
            {
                response = ScriptHttpResponse.Failure("ETIMEDOUT", "timeout");
            }

            if (wallBound && timeout.IsCancellationRequested)
            {
                // SCR-41: I/O still outstanding at the deadline is cancelled, and the call ends.
                throw new LimitHitException(ScriptReasons.Timeout, "the wall-clock limit was exceeded");
            }
        }
        finally
        {
            context.ExcludeElapsed(Stopwatch.GetTimestamp() - started);
        }

        context.CheckTimeAndMemory();
        if (response.StatusCode is not { } status || response.ErrorCode is not null)
        {
            return HttpError(response.ErrorMessage ?? response.ErrorCode ?? "request failed", response.ErrorCode);
        }

        var result = NewObject();
        result.FastSetDataProperty("statusCode", JsNumber.Create(status));
        result.FastSetDataProperty("content", new JsString(response.Body));
        var headers = NewObject();
        foreach (var (name, value) in response.Headers)
        {
            headers.FastSetDataProperty(name, new JsString(value));
        }

        result.FastSetDataProperty("headers", headers);
        result.FastSetDataProperty("ok", status is >= 200 and < 300 ? JsBoolean.True : JsBoolean.False);
        var data = MeteorHttp.IsJsonMediaType(response.MediaType) ? Json.ParseText(response.Body, throwSyntaxError: false) : JsValue.Null;
        result.FastSetDataProperty("data", data);

        var outcome = NewObject();
        if (status >= 400)
        {
            var error = NewObject();
            error.FastSetDataProperty("message", new JsString(MeteorHttp.FailureMessage(status, response.Body)));
            error.FastSetDataProperty("response", result);
            outcome.FastSetDataProperty("error", error);
        }
        else
        {
            outcome.FastSetDataProperty("result", result);
        }

        return outcome;
    }

    /// <summary>The checks every <c>fetch</c> and <c>HTTP</c> call makes first: limits, no I/O during the dry run
    /// (SCR-33), a client, and the per-call count (SCR-46).</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_http))]
    private CallContext BeginHttpCall(string name)
    {
        var context = Current;
        context.CheckTimeAndMemory();
        if (context.IsValidation)
        {
            throw Error("not available during validation");
        }

        if (_http is null)
        {
            throw Error(name + " is not available");
        }

        if (++context.HttpCalls > Limits.MaxHttpCalls)
        {
            throw Error("http call limit exceeded"); // SCR-46
        }

        return context;
    }

    private ObjectInstance HttpError(string message, string? code)
    {
        var error = NewObject();
        error.FastSetDataProperty("message", new JsString(message));
        if (code is not null)
        {
            error.FastSetDataProperty("code", new JsString(code));
        }

        var outcome = NewObject();
        outcome.FastSetDataProperty("error", error);
        return outcome;
    }

    private ScriptHttpRequest BuildHttpRequest(JsValue[] args, CallContext context)
    {
        string method = TypeConverter.ToString(At(args, 0)).ToUpperInvariant();
        string url = TypeConverter.ToString(At(args, 1));
        var options = At(args, 2).IsObject() ? At(args, 2).AsObject() : null;
        var headers = new List<KeyValuePair<string, string>>();
        string? body = null;
        string? contentType = null;
        var timeout = TimeSpan.FromMilliseconds(ScriptDefaults.HttpDefaultTimeoutMs);
        bool follow = true;

        if (options is not null)
        {
            if (options.Get("headers") is { } h && h.IsObject())
            {
                foreach (var name in JsonBridge.EnumerableKeys(h.AsObject()))
                {
                    var v = h.AsObject().Get(name);
                    if (!v.IsUndefined() && !v.IsNull())
                    {
                        headers.Add(new(name, TypeConverter.ToString(v)));
                    }
                }
            }

            var content = options.Get("content");
            var data = options.Get("data");
            if (!data.IsUndefined())
            {
                var json = Json.Stringify(data, JsValue.Undefined, JsValue.Undefined);
                body = json.IsUndefined() ? null : json.AsString();
                contentType = "application/json";
            }
            else if (!content.IsUndefined() && !content.IsNull())
            {
                body = TypeConverter.ToString(content);
            }

            if (options.Get("query") is { } q && q.IsString())
            {
                url = MeteorHttp.AppendQuery(url, q.AsString());
            }

            if (options.Get("params") is { } p && p.IsObject())
            {
                var pairs = new List<KeyValuePair<string, string>>();
                foreach (var name in JsonBridge.EnumerableKeys(p.AsObject()))
                {
                    var v = p.AsObject().Get(name);
                    pairs.Add(new(name, v.IsUndefined() || v.IsNull() ? string.Empty
                        : v.IsObject() ? TypeConverter.ToString(Json.Stringify(v, JsValue.Undefined, JsValue.Undefined)) : TypeConverter.ToString(v)));
                }

                var encoded = MeteorHttp.FormEncode(pairs);
                if (method is "GET" or "HEAD" || body is not null)
                {
                    url = MeteorHttp.AppendQuery(url, encoded);
                }
                else
                {
                    body = encoded;
                    contentType = "application/x-www-form-urlencoded";
                }
            }

            if (options.Get("auth") is { } auth && auth.IsString())
            {
                var text = auth.AsString();
                if (!text.Contains(':', StringComparison.Ordinal))
                {
                    throw new FormatException("auth must be \"user:pass\"");
                }

                headers.Add(new("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(text))));
            }

            if (options.Get("timeout") is { } t && t.IsNumber() && t.AsNumber() > 0)
            {
                timeout = TimeSpan.FromMilliseconds(Math.Min(t.AsNumber(), 120_000));
            }

            if (options.Get("followRedirects") is { } f && f.IsBoolean())
            {
                follow = f.AsBoolean();
            }
        }

        if (contentType is not null && !headers.Any(x => x.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new("Content-Type", contentType));
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new FormatException("Invalid URL: " + url);
        }

        context.CheckTimeAndMemory();
        return new ScriptHttpRequest
        {
            Method = method,
            Url = uri,
            Headers = headers,
            Body = method is "GET" or "HEAD" ? null : body,
            Timeout = timeout,
            FollowRedirects = follow,
            MaxBodyBytes = Limits.MaxHttpResponseBytes, // SCR-54, SEC-14
        };
    }
}
