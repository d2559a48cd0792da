using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatIntegrations.Scripting.Jint.Compilation;
using ChatIntegrations.Scripting.Jint.Http;
using ChatIntegrations.Scripting.Jint.Instances;
using ChatIntegrations.Scripting.Jint.Runtime;
using global::Jint;
using global::Jint.Native;
using global::Jint.Native.Object;
using global::Jint.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Scripting.Jint;

/// <summary>
/// The bundled <see cref="IScriptHost"/>: runs integration scripts on Jint 4 in one sandboxed realm per
/// (integration id, version), under the limits of SCR-40..SCR-47, on dedicated script threads with a large stack.
/// </summary>
/// <remarks>
/// Thread-safe. Calls into the same instance are serialised (SCR-3); script failures are reported as results.
/// Dispose the host to stop its script threads.
/// </remarks>
internal sealed partial class JintScriptHost : IScriptHost, IScriptTrialHost, IDisposable
{
    private const string SelfTestSource = "class Script {\n  down(n) { return this.down(n + 1); }\n}";

    private static readonly Prepared<global::Acornima.Ast.Script> ScriptReference = Engine.PrepareScript("Script");

    private readonly ScriptLimits _limits;
    private readonly ScriptOptions _options;
    private readonly ScriptHelpers _helpers;
    private readonly IScriptHttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ScriptThreadPool _threads;
    private readonly StoreRegistry _stores;
    private readonly Dictionary<string, InstanceSlot> _slots = new(StringComparer.Ordinal);
    private readonly Lock _slotsLock = new();
    // SCR-34: the prepared script of each integration's current (version, source hash), by integration id.
    private readonly ConcurrentDictionary<string, (long Version, string Hash, CompiledScript Script)> _compiled = new(StringComparer.Ordinal);
    private long _useCounter;
    private int _compilations;

    // Integrations with the same source share one prepared script while any of them holds it.
    private readonly WeakCache<CompiledScript> _byHash = new();
    private readonly CompiledScript?[] _recentlyValidated = new CompiledScript?[16];
    private int _nextRecentlyValidated;

    // Evict() rescans the slots only after an instance was created or while a previous scan ended over the limits
    // with every candidate busy; a warm call on a full cache then costs no O(slots) scan.
    private long _instanceGeneration;
    private long _scannedGeneration;
    private bool _overLimit;

    internal JintScriptHost(ScriptOptions options, IScriptHttpClient http, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _limits = new ScriptLimits(options);
        _helpers = new ScriptHelpers(_limits.TimeLimit);
        _http = http;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _stores = new StoreRegistry(options.MaxStoreBytesPerNode, options.MaxStoreKeys, options.MaxStoreBytes, (id, version) => ScriptHostLog.StoreDiscarded(_logger, id, version));
        _threads = new ScriptThreadPool(options.ScriptThreads, options.ThreadStackBytes);
        try
        {
            RunSelfTest();
        }
        catch
        {
            _threads.Dispose();
            throw;
        }
    }

    internal StoreRegistry Stores => _stores;

    /// <summary>Gets how many times a script was parsed and prepared, by a call or by a save-time validation (SCR-34).</summary>
    internal int Compilations => Volatile.Read(ref _compilations);

    internal int CachedInstanceCount
    {
        get
        {
            lock (_slotsLock)
            {
                return _slots.Values.Count(s => s.Instance is not null);
            }
        }
    }

    /// <summary>Gets the sum of the estimated bytes of the loaded instances (SCR-2).</summary>
    internal long CachedInstanceBytes
    {
        get
        {
            lock (_slotsLock)
            {
                return _slots.Values.Sum(s => s.Instance is null ? 0 : s.EstimatedBytes);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<ScriptValidationResult> ValidateAsync(string source, IntegrationType integrationType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        long deadline = Deadline();
        var diagnostics = await _threads.RunAsync(() => Validate(source, integrationType, deadline, cancellationToken)).ConfigureAwait(false);
        return diagnostics.Count == 0 ? ScriptValidationResult.Valid : new ScriptValidationResult { Diagnostics = diagnostics };
    }

    /// <inheritdoc />
    public ValueTask<ScriptCallResult> InvokeAsync(ScriptDescriptor script, string hook, JsonObject argument, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script.IntegrationId);
        ArgumentNullException.ThrowIfNull(script.Source);
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(argument);
        return InvokeInSlot(AcquireSlot(script), script, hook, argument, cancellationToken);
    }

    /// <summary>Starts a dry run of <paramref name="source"/> (see <see cref="IScriptTrialHost"/>).</summary>
    public IScriptTrial StartTrial(string integrationId, string source)
    {
        ArgumentNullException.ThrowIfNull(integrationId);
        ArgumentNullException.ThrowIfNull(source);
        return new ScriptTrial(this, integrationId, source, new ScriptStore(_options.MaxStoreKeys, _options.MaxStoreBytes));
    }

    private ValueTask<ScriptCallResult> InvokeInSlot(InstanceSlot slot, ScriptDescriptor script, string hook, JsonObject argument, CancellationToken cancellationToken)
    {
        long deadline = Deadline();
        if (cancellationToken.IsCancellationRequested || !slot.Gate.Wait(0))
        {
            return InvokeWaitingAsync(slot, script, hook, argument, deadline, cancellationToken);
        }

        // Fast path: the instance is free. A quick call completes while the caller spins briefly, so it returns
        // without a thread-pool continuation; a slower one is awaited as usual.
        Task<ScriptCallResult> call;
        try
        {
            call = _threads.RunAsync(() => Call(slot, hook, argument, deadline, cancellationToken));
        }
        catch (Exception ex)
        {
            slot.Gate.Release();
            return ValueTask.FromException<ScriptCallResult>(ex);
        }

        if (!_threads.TryWaitBriefly(call) || (call.IsCompletedSuccessfully && ReferenceEquals(call.Result, Suspended)))
        {
            return AwaitCallAsync(slot, call);
        }

        slot.Gate.Release();
        Evict();
        return call.IsCompletedSuccessfully ? new ValueTask<ScriptCallResult>(call.Result) : new ValueTask<ScriptCallResult>(call);
    }

    private async ValueTask<ScriptCallResult> AwaitCallAsync(InstanceSlot slot, Task<ScriptCallResult> call)
    {
        try
        {
            var result = await call.ConfigureAwait(false);
            return ReferenceEquals(result, Suspended) ? await ContinueAsync(slot).ConfigureAwait(false) : result;
        }
        finally
        {
            slot.Gate.Release();
            Evict();
        }
    }

    private async ValueTask<ScriptCallResult> InvokeWaitingAsync(InstanceSlot slot, ScriptDescriptor script, string hook, JsonObject argument, long deadline, CancellationToken cancellationToken)
    {
        // SCR-3: the wait for the instance counts toward the wall clock.
        if (!await slot.Gate.WaitAsync(_time.GetElapsedTime(_time.GetTimestamp(), deadline) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            ScriptHostLog.Busy(_logger, script.IntegrationId, script.Version);
            return new ScriptCallResult { Outcome = ScriptOutcome.Busy };
        }

        try
        {
            var result = await _threads.RunAsync(() => Call(slot, hook, argument, deadline, cancellationToken)).ConfigureAwait(false);
            return ReferenceEquals(result, Suspended) ? await ContinueAsync(slot).ConfigureAwait(false) : result;
        }
        finally
        {
            slot.Gate.Release();
            Evict();
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> HasHookAsync(ScriptDescriptor script, string hook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script.IntegrationId);
        ArgumentNullException.ThrowIfNull(script.Source);
        ArgumentNullException.ThrowIfNull(hook);
        return await HasHookInSlotAsync(AcquireSlot(script), hook, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> HasHookInSlotAsync(InstanceSlot slot, string hook, CancellationToken cancellationToken)
    {
        long deadline = Deadline();
        if (!await slot.Gate.WaitAsync(_options.WallClockLimit, cancellationToken).ConfigureAwait(false))
        {
            return true; // busy: cannot tell, so the caller's call reports Busy (SCR-3) instead of skipping the hook
        }

        try
        {
            return await _threads.RunAsync(() =>
            {
                if (EnsureInstance(slot, deadline, cancellationToken, out _) is not null)
                {
                    return true; // the instance failed to load: the caller's call reports it (SCR-49)
                }

                var context = NewContext(_limits.TimeLimit, deadline, cancellationToken);
                return slot.Realm!.Enter(context, () => slot.Instance!.Get(hook).IsCallable());
            }).ConfigureAwait(false);
        }
        finally
        {
            slot.Gate.Release();
            Evict();
        }
    }

    /// <summary>Discards the cached instance, compiled form and Stores of a deleted integration (SCR-52).</summary>
    internal void Forget(string integrationId)
    {
        lock (_slotsLock)
        {
            _slots.Remove(integrationId);
        }

        _compiled.TryRemove(integrationId, out _);
        _stores.Forget(integrationId);
    }

    /// <summary>Stops the script threads.</summary>
    public void Dispose() => _threads.Dispose();

    private long Deadline() => _time.GetTimestamp() + (long)(_options.WallClockLimit.TotalSeconds * _time.TimestampFrequency);

    private CallContext NewContext(TimeSpan timeLimit, long deadline, CancellationToken cancellationToken, bool validation = false) =>
        new(_limits, timeLimit, deadline, _time, validation) { CancellationToken = cancellationToken };

    private InstanceSlot AcquireSlot(ScriptDescriptor script)
    {
        lock (_slotsLock)
        {
            if (!_slots.TryGetValue(script.IntegrationId, out var slot)
                || slot.Version != script.Version
                || !string.Equals(slot.Source, script.Source, StringComparison.Ordinal))
            {
                // SCR-2: a new version (or source) gets a new instance; SCR-52: and the Store of that version.
                slot = new InstanceSlot(script.IntegrationId, script.Version, script.Source, _stores.Get(script.IntegrationId, script.Version));
                _slots[script.IntegrationId] = slot;
            }

            slot.LastUsed = ++_useCounter;
            return slot;
        }
    }

    /// <summary>SCR-2: at most <c>MaxCachedInstances</c> instances and <c>MaxCachedInstanceBytes</c>, LRU first.</summary>
    private void Evict()
    {
        lock (_slotsLock)
        {
            long generation = Interlocked.Read(ref _instanceGeneration);
            if (generation == _scannedGeneration && !_overLimit)
            {
                return;
            }

            _scannedGeneration = generation;
            while (true)
            {
                int loaded = 0;
                long bytes = 0;
                InstanceSlot? victim = null;
                foreach (var slot in _slots.Values)
                {
                    if (slot.Instance is null && slot.Gate.CurrentCount == 1)
                    {
                        continue;
                    }

                    loaded++;
                    bytes += slot.EstimatedBytes;
                    if (slot.Gate.CurrentCount == 1 && (victim is null || slot.LastUsed < victim.LastUsed))
                    {
                        victim = slot;
                    }
                }

                bool within = loaded <= _options.MaxCachedInstances && bytes <= _options.MaxCachedInstanceBytes;
                if (within || victim is null)
                {
                    _overLimit = !within;
                    return;
                }

                // The compiled form and the Store stay; only the realm goes.
                _slots.Remove(victim.IntegrationId);
                victim.Reset();
                ScriptHostLog.InstanceEvicted(_logger, victim.IntegrationId, victim.Version);
            }
        }
    }

    private CompiledScript? GetCompiled(InstanceSlot slot, out IReadOnlyList<ScriptDiagnostic> diagnostics)
    {
        diagnostics = [];
        if (slot.Compiled is { } compiled)
        {
            return compiled;
        }

        // SCR-34: parsed and prepared once per (integration id, version, source hash); every realm shares it.
        var hash = ScriptCompiler.Hash(slot.Source);
        if (_compiled.TryGetValue(slot.IntegrationId, out var entry) && entry.Version == slot.Version && entry.Hash == hash)
        {
            compiled = entry.Script;
        }
        else
        {
            if (!_byHash.TryGet(hash, out compiled))
            {
                Interlocked.Increment(ref _compilations);
                var (script, problems) = ScriptCompiler.Compile(slot.Source, _limits);
                if (script is null)
                {
                    diagnostics = problems;
                    return null;
                }

                compiled = script;
                _byHash.Add(hash, compiled);
            }

            if (!slot.Transient)
            {
                _compiled[slot.IntegrationId] = (slot.Version, hash, compiled);
                TrimCompiled();
            }
        }

        slot.Compiled = compiled;
        return compiled;
    }

    /// <summary>SCR-34 keeps prepared scripts after their instance is evicted, so a rebuild does not parse again. The
    /// cache is bounded: past four times <c>MaxCachedInstances</c> entries, those of integrations without a slot are
    /// dropped down to twice that, in one pass (amortised, never a scan per call).</summary>
    private void TrimCompiled()
    {
        if (_compiled.Count <= 4 * _options.MaxCachedInstances)
        {
            return;
        }

        int limit = 2 * _options.MaxCachedInstances;

        HashSet<string> live;
        lock (_slotsLock)
        {
            live = _slots.Keys.ToHashSet(StringComparer.Ordinal);
        }

        foreach (var id in _compiled.Keys)
        {
            if (_compiled.Count <= limit)
            {
                break;
            }

            if (!live.Contains(id))
            {
                _compiled.TryRemove(id, out _);
            }
        }
    }

    /// <summary>Makes sure the slot has an instance; returns the failure result when evaluation failed.</summary>
    private ScriptCallResult? EnsureInstance(InstanceSlot slot, long deadline, CancellationToken cancellationToken, out IReadOnlyList<ScriptLogEntry> logs)
    {
        logs = [];
        if (slot.Instance is not null)
        {
            return null;
        }

        var compiled = GetCompiled(slot, out var diagnostics);
        if (compiled is null)
        {
            var detail = string.Join("; ", diagnostics.Select(d => $"{d.Line}:{d.Column} {d.Message}"));
            ScriptHostLog.EvaluationFailed(_logger, slot.IntegrationId, slot.Version, "invalid-script");
            ScriptHostLog.ErrorDetail(_logger, slot.IntegrationId, detail);
            return new ScriptCallResult { Outcome = ScriptOutcome.EvaluationFailed, Reason = ScriptReasons.Exception, ErrorDetail = detail };
        }

        var context = NewContext(_limits.InstantiateTimeLimit, deadline, cancellationToken);
        long started = Stopwatch.GetTimestamp();
        try
        {
            var (realm, instance) = Instantiate(compiled, slot.Store, context, slot.Http);
            long estimate = InstanceSizeEstimate.Of(compiled);
            slot.SetInstance(realm, instance, estimate);
            Interlocked.Increment(ref _instanceGeneration);
            logs = context.Logs;
            ScriptHostLog.InstanceCreated(_logger, slot.IntegrationId, slot.Version, Stopwatch.GetElapsedTime(started).TotalMilliseconds, estimate);
            return null;
        }
        catch (Exception ex) when (Classify(ex) is { } failure)
        {
            slot.Reset();
            logs = context.Logs;
            ScriptHostLog.EvaluationFailed(_logger, slot.IntegrationId, slot.Version, failure.Reason);
            ScriptHostLog.ErrorDetail(_logger, slot.IntegrationId, failure.Detail);
            return new ScriptCallResult { Outcome = ScriptOutcome.EvaluationFailed, Reason = failure.Reason, ErrorDetail = failure.Detail, Logs = context.Logs };
        }
        finally
        {
            context.EndIo(); // I/O that top-level code started does not outlive the instantiation
        }
    }

    /// <summary>Runs top-level code and the constructor in a fresh realm (SCR-2).</summary>
    private (ScriptRealm Realm, ObjectInstance Instance) Instantiate(CompiledScript compiled, ScriptStore? store, CallContext context, IScriptHttpClient? http = null)
    {
        var realm = new ScriptRealm(_limits, _time, store, http ?? _http, _helpers);
        var instance = realm.Enter(context, () => Guarded(realm, () =>
        {
            realm.Execute(compiled.Prepared, compiled.FreeAssignments);
            var constructor = realm.Engine.Evaluate(in ScriptReference);
            if (!constructor.IsConstructor())
            {
                throw new JavaScriptException(realm.Engine.Intrinsics.TypeError, "Script is not a class or constructor function");
            }

            var constructed = realm.Engine.Construct(constructor, []);
            realm.DrainMicrotasks(); // promise jobs of top-level code run before the first call
            return constructed;
        }));
        return (realm, instance);
    }

    /// <summary>Runs <paramref name="body"/> inside an engine entry and turns a script error into a
    /// <see cref="ScriptErrorException"/> described there, under the entry's limits: reading an error's
    /// <c>message</c> can run a getter (SCR-47, SCR-48).</summary>
    private static T Guarded<T>(ScriptRealm realm, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (JavaScriptException ex)
        {
            throw new ScriptErrorException(Describe(realm, ex.Error, ex.Location), ex.Location.Start.Line, ex.Location.Start.Column + 1);
        }
    }

    /// <summary>Returned by <see cref="Call"/> and <see cref="Resume"/> when the hook's promise is pending while I/O
    /// of the call is outstanding; the state is on <see cref="InstanceSlot.Pending"/>, and the gate stays held (SCR-3).</summary>
    private static readonly ScriptCallResult Suspended = new() { Outcome = ScriptOutcome.Completed };

    private ScriptCallResult Call(InstanceSlot slot, string hook, JsonObject argument, long deadline, CancellationToken cancellationToken)
    {
        var failed = EnsureInstance(slot, deadline, cancellationToken, out var instantiationLogs);
        if (failed is not null)
        {
            return failed;
        }

        var realm = slot.Realm!;
        var call = new PendingCall(hook, NewContext(_limits.TimeLimit, deadline, cancellationToken), instantiationLogs);
        call.Registration = cancellationToken.Register(call.Context.Cancel);
        return Step(slot, call, () =>
        {
            var function = slot.Instance!.Get(hook);
            if (!function.IsCallable())
            {
                return null;
            }

            var input = realm.Json.FromNode(argument);
            HookArguments.ShapeDates(realm, hook, input);
            return function.Call(slot.Instance, [input]);
        });
    }

    /// <summary>SCR-62 step 2: settles the completed I/O of a suspended call on the script thread, then drains.</summary>
    private ScriptCallResult Resume(InstanceSlot slot, PendingCall call) => Step(slot, call, () =>
    {
        var context = call.Context;
        context.CancellationToken.ThrowIfCancellationRequested();
        context.CheckTimeAndMemory();
        var completed = context.TakeCompletedIo();
        if (completed.Count == 0 && context.IoCancelled)
        {
            // SCR-41: the deadline passed with I/O outstanding (a client that ignores cancellation included).
            throw new LimitHitException(ScriptReasons.Timeout, "the wall-clock limit was exceeded");
        }

        try
        {
            foreach (var fetch in completed)
            {
                slot.Realm!.SettleFetch(fetch, context);
            }
        }
        finally
        {
            foreach (var fetch in completed)
            {
                fetch.Dispose();
            }
        }

        return call.Value;
    });

    /// <summary>One slice of the job loop (SCR-62): runs <paramref name="body"/> (the hook, or the settling of I/O), drains
    /// the microtask queue and looks at the hook's promise: settled is the result, pending with I/O outstanding
    /// suspends the call, pending without I/O is <c>invalid-result</c> (<c>never-settled</c>).</summary>
    private ScriptCallResult Step(InstanceSlot slot, PendingCall call, Func<JsValue?> body)
    {
        var realm = slot.Realm!;
        var context = call.Context;
        bool suspended = false;
        try
        {
            var (missing, value) = realm.Enter(context, () => Guarded(realm, () =>
            {
                var result = body();
                if (result is null)
                {
                    return (true, null);
                }

                realm.DrainMicrotasks();
                if (result.IsPromise())
                {
                    // A promise already settled after the drain (an async hook without I/O) is read directly,
                    // which costs no reaction functions and no extra job.
                    if (call.Watch is null && ScriptRealm.TrySettled(result, out var settled))
                    {
                        return (false, realm.Json.ToNode(settled));
                    }

                    // SCR-1, SCR-62: the hook's promise is watched once; its reactions record the outcome.
                    if (call.Watch is null)
                    {
                        call.Watch = realm.Watch(result);
                        realm.DrainMicrotasks();
                    }

                    var watch = call.Watch;
                    if (!watch.Settled)
                    {
                        if (!context.HasOutstandingIo)
                        {
                            throw new LimitHitException(ScriptReasons.InvalidResult, "never-settled");
                        }

                        call.Value = result;
                        suspended = true;
                        return (false, null);
                    }

                    if (!watch.Fulfilled)
                    {
                        throw new JavaScriptException(watch.Value); // SCR-1, SCR-48: a rejection is a thrown error
                    }

                    result = watch.Value;
                }

                return (false, realm.Json.ToNode(result));
            }));
            if (suspended)
            {
                slot.Pending = call;
                return Suspended;
            }

            var logs = Merge(call.InstantiationLogs, context);
            return missing
                ? new ScriptCallResult { Outcome = ScriptOutcome.HookMissing, Logs = logs }
                : new ScriptCallResult { Outcome = ScriptOutcome.Completed, Value = value, Logs = logs };
        }
        catch (OperationCanceledException)
        {
            slot.Reset();
            throw;
        }
        catch (Exception ex) when (Classify(ex) is { } failure)
        {
            if (failure.Rebuild)
            {
                slot.Reset(); // SCR-2: rebuilt after a limit hit
            }

            ScriptHostLog.HookFailed(_logger, call.Hook, slot.IntegrationId, slot.Version, failure.Reason);
            ScriptHostLog.ErrorDetail(_logger, slot.IntegrationId, failure.Detail);
            return new ScriptCallResult { Outcome = ScriptOutcome.Failed, Reason = failure.Reason, ErrorDetail = failure.Detail, Logs = Merge(call.InstantiationLogs, context) };
        }
        finally
        {
            if (!suspended)
            {
                // SCR-41: I/O still outstanding when the call ends is cancelled.
                slot.Pending = null;
                context.EndIo();
                call.Registration.Dispose();
            }
        }
    }

    /// <summary>SCR-62 step 2: while the hook's promise waits on I/O, waits outside the engine (not script time, and
    /// with the script thread free for other instances) and continues the call on a script thread. The instance
    /// stays held meanwhile (SCR-3).</summary>
    private async ValueTask<ScriptCallResult> ContinueAsync(InstanceSlot slot)
    {
        while (true)
        {
            var call = (PendingCall)slot.Pending!;
            await call.Context.WaitForIoAsync().ConfigureAwait(false);
            var result = await _threads.RunAsync(() => Resume(slot, call)).ConfigureAwait(false);
            if (!ReferenceEquals(result, Suspended))
            {
                return result;
            }
        }
    }

    /// <summary>The state of a hook call across the slices of its job loop.</summary>
    private sealed class PendingCall(string hook, CallContext context, IReadOnlyList<ScriptLogEntry> instantiationLogs)
    {
        public string Hook { get; } = hook;

        public CallContext Context { get; } = context;

        public IReadOnlyList<ScriptLogEntry> InstantiationLogs { get; } = instantiationLogs;

        public CancellationTokenRegistration Registration { get; set; }

        /// <summary>Gets or sets the hook's pending promise.</summary>
        public JsValue? Value { get; set; }

        /// <summary>Gets or sets the watch on the hook's promise (SCR-62).</summary>
        public PromiseWatch? Watch { get; set; }
    }

    private static IReadOnlyList<ScriptLogEntry> Merge(IReadOnlyList<ScriptLogEntry> first, CallContext context)
    {
        if (first.Count == 0)
        {
            return context.Logs;
        }

        var all = new List<ScriptLogEntry>(first);
        all.AddRange(context.Logs);
        return all;
    }

    private List<ScriptDiagnostic> Validate(string source, IntegrationType type, long deadline, CancellationToken cancellationToken)
    {
        // SCR-34: the prepared form is shared by source hash, so the first call after a save does not prepare the
        // script again, and re-saving an unchanged script only repeats the dry run. The last few validated scripts
        // are held strongly until then; the hash cache alone holds weakly.
        var hash = ScriptCompiler.Hash(source);
        if (!_byHash.TryGet(hash, out var compiled))
        {
            Interlocked.Increment(ref _compilations);
            (compiled, var diagnostics) = ScriptCompiler.Compile(source, _limits);
            if (compiled is null)
            {
                return diagnostics.ToList();
            }

            _byHash.Add(hash, compiled);
        }

        lock (_recentlyValidated)
        {
            _recentlyValidated[_nextRecentlyValidated] = compiled;
            _nextRecentlyValidated = (_nextRecentlyValidated + 1) % _recentlyValidated.Length;
        }

        // SCR-33: the dry run, with HTTP unavailable and a throwaway Store.
        var context = NewContext(_limits.InstantiateTimeLimit, deadline, cancellationToken, validation: true);
        ScriptRealm realm;
        ObjectInstance instance;
        try
        {
            (realm, instance) = Instantiate(compiled, new ScriptStore(_options.MaxStoreKeys, _options.MaxStoreBytes), context);
        }
        catch (ScriptErrorException ex)
        {
            int line = Math.Max(1, ex.Line), column = Math.Max(1, ex.Column);
            return [new ScriptDiagnostic(line, column, ex.Message) { CodeFrame = ScriptCompiler.CodeFrame(source, line, column) }];
        }
        catch (Exception ex) when (Classify(ex) is { } failure)
        {
            return [new ScriptDiagnostic(1, 1, $"The top-level code or constructor failed ({failure.Reason}): {failure.Detail}")];
        }

        if (type == IntegrationType.Incoming)
        {
            var hookContext = NewContext(_limits.TimeLimit, deadline, cancellationToken, validation: true);
            bool has;
            try
            {
                has = realm.Enter(hookContext, () => instance.Get("process_incoming_request").IsCallable());
            }
            catch (Exception ex) when (Classify(ex) is { } failure)
            {
                return [new ScriptDiagnostic(1, 1, $"Reading process_incoming_request failed ({failure.Reason}): {failure.Detail}")];
            }

            if (!has)
            {
                var at = compiled.ScriptDeclaration;
                return [new ScriptDiagnostic(at.Line, at.Column + 1, "Script must have a process_incoming_request method") { CodeFrame = ScriptCompiler.CodeFrame(source, at.Line, at.Column + 1) }];
            }
        }

        return [];
    }

    /// <summary>SCR-43: a recursion through a class method to <c>MaxRecursionDepth</c> must end with
    /// <c>recursion-limit</c>, not a crash.</summary>
    private void RunSelfTest()
    {
        var outcome = _threads.RunAsync(() =>
        {
            var (compiled, _) = ScriptCompiler.Compile(SelfTestSource, _limits);
            // The self-test checks the stack, not the clock: on a starved machine (parallel test runs, a busy CI
            // box) the configured time limit could end it with 'timeout' first, so it gets a generous budget.
            var selfTestTime = TimeSpan.FromMinutes(2);
            var selfTestDeadline = _time.GetTimestamp() + (long)(selfTestTime.TotalSeconds * 2 * _time.TimestampFrequency);
            var context = NewContext(selfTestTime, selfTestDeadline, CancellationToken.None);
            var (realm, instance) = Instantiate(compiled!, null, context);
            var call = NewContext(selfTestTime, selfTestDeadline, CancellationToken.None);
            try
            {
                realm.Enter(call, () => Guarded(realm, () => instance.Get("down").Call(instance, [JsNumber.Create(0)])));
                return "completed";
            }
            catch (Exception ex) when (Classify(ex) is { } failure)
            {
                return failure.Reason;
            }
        }).GetAwaiter().GetResult();
        if (outcome != ScriptReasons.RecursionLimit)
        {
            throw new InvalidOperationException(
                $"The script host self-test (SCR-43) ended with '{outcome}' instead of recursion-limit: raise ThreadStackBytes ({_options.ThreadStackBytes}) or lower MaxRecursionDepth ({_options.MaxRecursionDepth}).");
        }
    }

    private sealed record Failure(string Reason, string Detail, bool Rebuild);

    /// <summary>Maps an exception out of the engine to an SCR-47 reason; anything unknown is <c>exception</c>, and
    /// nothing escapes the host (SCR-47).</summary>
    private static Failure? Classify(Exception ex)
    {
        switch (ex)
        {
            case OperationCanceledException:
                return null;
            case LimitHitException limit:
                return new Failure(limit.Reason, limit.Message, limit.Reason != ScriptReasons.InvalidResult);
            case ScriptErrorException error:
                // SCR-48: a RangeError for a too-deep stack is the recursion limit, whatever caught it last.
                // Jint's own string length bound (2^28 UTF-16 units, reached by s += s without any allocation
                // until a string is flattened) is the memory limit.
                return error.StackExhausted
                    ? new Failure(ScriptReasons.RecursionLimit, error.Detail, true)
                    : error.Detail.StartsWith("RangeError: Invalid string length", StringComparison.Ordinal)
                        ? new Failure(ScriptReasons.MemoryLimit, error.Detail, true)
                        : new Failure(ScriptReasons.Exception, error.Detail, false);
            case RegexMatchTimeoutException:
            case TimeoutException:
                return new Failure(ScriptReasons.Timeout, "the script time limit was exceeded", true);
            case ExecutionCanceledException:
                return new Failure(ScriptReasons.Timeout, "the script was cancelled", true);
            case StatementsCountOverflowException:
                return new Failure(ScriptReasons.StatementLimit, "the statement limit was exceeded", true);
            case RecursionDepthOverflowException:
            case InsufficientExecutionStackException:
                return new Failure(ScriptReasons.RecursionLimit, "the call depth limit was exceeded", true);
            case MemoryLimitExceededException:
            case OutOfMemoryException:
                return new Failure(ScriptReasons.MemoryLimit, "the memory limit was exceeded", true);
            case JavaScriptException js:
                // Thrown outside a guarded entry (should not happen): described without running script code.
                return new Failure(ScriptReasons.Exception, "Uncaught " + (js.Error.IsString() ? js.Error.AsString() : js.Error.Type.ToString()), false);
            case ScriptPreparationException:
                return new Failure(ScriptReasons.Exception, "the script could not be prepared: " + ex.Message, true);
            case InvalidOperationException { InnerException: { } inner }:
                return Classify(inner);
            default:
                return new Failure(ScriptReasons.Exception, "internal error: " + ex.GetType().Name + ": " + ex.Message, true);
        }
    }

    /// <summary>The error's <c>name: message</c> and where it was thrown, read inside the entry (SCR-48).</summary>
    private static string Describe(ScriptRealm realm, JsValue error, in global::Acornima.SourceLocation location)
    {
        string text;
        if (error.IsObject())
        {
            var obj = error.AsObject();
            var name = obj.Get("name");
            var message = obj.Get("message");
            if (name.IsString() || message.IsString())
            {
                var n = name.IsString() ? name.AsString() : "Error";
                var m = message.IsString() ? message.AsString() : string.Empty;
                text = m.Length == 0 ? n : n + ": " + m;
            }
            else
            {
                text = "Uncaught " + realm.Json.ToConsoleText(error, ScriptDefaults.ConsoleMaxEntryChars);
            }
        }
        else
        {
            text = "Uncaught " + (error.IsString() ? error.AsString() : realm.Json.ToConsoleText(error, ScriptDefaults.ConsoleMaxEntryChars));
        }

        if (location.Start.Line > 0)
        {
            text += string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\n    at {location.Start.Line}:{location.Start.Column + 1}");
        }

        return text;
    }
}

/// <summary>One dry run on the <see cref="JintScriptHost"/>: a private instance of the trial source, built on first use
/// and shared by the trial's hook calls (as one instance serves a delivery's hooks), with a throwaway <c>Store</c> and
/// the <see cref="DryRunScriptHttpClient"/>. Nothing of it is cached by the host.</summary>
internal sealed partial class JintScriptHost
{
    private sealed class ScriptTrial(JintScriptHost host, string integrationId, string source, ScriptStore store) : IScriptTrial
    {
        private readonly DryRunScriptHttpClient _http = new();
        private readonly Lock _lock = new();
        private InstanceSlot? _slot;

        public IReadOnlyList<ScriptHttpRequest> BlockedRequests => _http.Requests;

        public ValueTask<ScriptValidationResult> ValidateAsync(string source, IntegrationType integrationType, CancellationToken cancellationToken = default) =>
            host.ValidateAsync(source, integrationType, cancellationToken);

        public ValueTask<ScriptCallResult> InvokeAsync(ScriptDescriptor script, string hook, JsonObject argument, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(hook);
            ArgumentNullException.ThrowIfNull(argument);
            return host.InvokeInSlot(Slot(script), script, hook, argument, cancellationToken);
        }

        public ValueTask<bool> HasHookAsync(ScriptDescriptor script, string hook, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(hook);
            return host.HasHookInSlotAsync(Slot(script), hook, cancellationToken);
        }

        /// <summary>The trial's slot; whatever descriptor the caller passes, the trial source runs.</summary>
        private InstanceSlot Slot(ScriptDescriptor script)
        {
            lock (_lock)
            {
                return _slot ??= new InstanceSlot("try:" + integrationId, script.Version, source, store) { Http = _http, Transient = true };
            }
        }
    }
}

/// <summary>A script error, described inside the engine entry that raised it (SCR-48).</summary>
internal sealed class ScriptErrorException(string detail, int line, int column) : Exception(FirstLine(detail))
{
    public string Detail { get; } = detail;

    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>Gets a value indicating whether the error is Jint's stack guard (a <c>RangeError</c> for a too-deep
    /// stack), which is the recursion limit (SCR-43).</summary>
    public bool StackExhausted => Detail.StartsWith("RangeError: Maximum call stack size exceeded", StringComparison.Ordinal);

    private static string FirstLine(string detail)
    {
        int i = detail.IndexOf('\n', StringComparison.Ordinal);
        return i < 0 ? detail : detail[..i];
    }
}
