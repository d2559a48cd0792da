using System.Diagnostics;
using System.Runtime.CompilerServices;
using ChatIntegrations.Scripting.Jint.Http;
using global::Jint.Native;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>
/// The limit accounting of one hook call or instantiation (SCR-40..SCR-44): script time excluding host I/O, the
/// wall-clock deadline, the allocation budget summed over engine entries, HTTP calls and captured console entries.
/// </summary>
/// <remarks>Used only on the script thread that runs the call, except <see cref="Cancel"/>.</remarks>
internal sealed class CallContext
{
    private readonly TimeProvider _timeProvider;
    private readonly long _timeLimitTicks;
    private readonly long _maxAllocatedBytes;
    private long _wallDeadline;
    private long _entryStart;
    private long _usedTicks;
    private long _entryAllocBase;
    private long _allocatedBytes;
    private long _excludedTicks;
    private bool _inEntry;
    private volatile bool _cancelled;

    public CallContext(ScriptLimits limits, TimeSpan timeLimit, long wallDeadline, TimeProvider timeProvider, bool validation = false)
    {
        Limits = limits;
        _timeProvider = timeProvider;
        _timeLimitTicks = (long)(timeLimit.TotalSeconds * Stopwatch.Frequency);
        _maxAllocatedBytes = limits.MaxAllocatedBytes;
        _wallDeadline = wallDeadline;
        IsValidation = validation;
    }

    public ScriptLimits Limits { get; }

    /// <summary>Gets a value indicating whether this is the save-time dry run (SCR-33).</summary>
    public bool IsValidation { get; }

    public int HttpCalls { get; set; }

    public List<ScriptLogEntry> Logs { get; } = [];

    public bool LogsTruncated { get; set; }

    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Gets the wall-clock deadline as a <see cref="TimeProvider"/> timestamp.</summary>
    public long WallDeadline => _wallDeadline;

    public CancellationToken CancellationToken { get; set; }

    public void Cancel() => _cancelled = true;

    public void BeginEntry()
    {
        _entryStart = Stopwatch.GetTimestamp();
        _entryAllocBase = GC.GetAllocatedBytesForCurrentThread();
        _inEntry = true;
    }

    public void EndEntry()
    {
        if (!_inEntry)
        {
            return;
        }

        _usedTicks += Stopwatch.GetTimestamp() - _entryStart - _excludedTicks;
        _excludedTicks = 0;
        _allocatedBytes += GC.GetAllocatedBytesForCurrentThread() - _entryAllocBase;
        _inEntry = false;
    }

    /// <summary>Excludes host I/O time (SCR-41) from the script time of the current entry.</summary>
    public void ExcludeElapsed(long stopwatchTicks) => _excludedTicks += stopwatchTicks;

    /// <summary>Gets the script time left, never negative.</summary>
    public TimeSpan RemainingTime
    {
        get
        {
            long used = _usedTicks + (_inEntry ? Stopwatch.GetTimestamp() - _entryStart - _excludedTicks : 0);
            long left = Math.Max(0, _timeLimitTicks - used);
            var byTime = TimeSpan.FromSeconds((double)left / Stopwatch.Frequency);
            var byWall = RemainingWallClock;
            return byTime < byWall ? byTime : byWall;
        }
    }

    /// <summary>Gets the wall-clock time left, never negative.</summary>
    public TimeSpan RemainingWallClock
    {
        get
        {
            var left = _timeProvider.GetElapsedTime(_timeProvider.GetTimestamp(), _wallDeadline);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Time, deadline, allocation budget and remaining stack, for host helpers that do work of their own
    /// (SCR-44); Jint's statement checks call <see cref="CheckTimeAndMemory"/> through the call constraint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Check()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new LimitHitException(ScriptReasons.RecursionLimit, "the script thread is out of stack");
        }

        CheckTimeAndMemory();
    }

    public void CheckTimeAndMemory()
    {
        if (_cancelled)
        {
            throw new OperationCanceledException("The script call was cancelled.");
        }

        long now = Stopwatch.GetTimestamp();
        if (_usedTicks + (now - _entryStart - _excludedTicks) > _timeLimitTicks)
        {
            throw new LimitHitException(ScriptReasons.Timeout, "the script time limit was exceeded");
        }

        if (_timeProvider.GetTimestamp() > _wallDeadline && _wallDeadline != 0)
        {
            throw new LimitHitException(ScriptReasons.Timeout, "the wall-clock limit was exceeded");
        }

        if (_allocatedBytes + (GC.GetAllocatedBytesForCurrentThread() - _entryAllocBase) > _maxAllocatedBytes)
        {
            throw new LimitHitException(ScriptReasons.MemoryLimit, "the allocation budget was exceeded");
        }
    }

    /// <summary>Checks that a built-in may produce a string of <paramref name="length"/> (SCR-44a).</summary>
    public void CheckStringLength(long length)
    {
        if (length > Limits.MaxStringLength)
        {
            throw new LimitHitException(ScriptReasons.MemoryLimit, "a string longer than MaxStringLength was requested");
        }
    }

    /// <summary>Checks that a built-in may produce an array of <paramref name="length"/> (SCR-44a).</summary>
    public void CheckArrayLength(double length)
    {
        if (length > Limits.MaxArrayLength)
        {
            throw new LimitHitException(ScriptReasons.MemoryLimit, "an array longer than MaxArrayLength was requested");
        }
    }

    // ------------------------------------------------------------------ host I/O of the call (SCR-41, SCR-62)
    private List<PendingFetch>? _io;
    private CancellationTokenSource? _ioCancellation;
    private CancellationTokenRegistration _ioRegistration;

    /// <summary>Gets a value indicating whether I/O started by this call is still outstanding.</summary>
    public bool HasOutstandingIo => _io is { Count: > 0 };

    /// <summary>Gets a value indicating whether the call's I/O was cancelled (wall-clock deadline or caller).</summary>
    public bool IoCancelled => _ioCancellation?.IsCancellationRequested == true;

    /// <summary>Starts <paramref name="request"/> outside the engine; the job loop settles it later.</summary>
    public void StartIo(IScriptHttpClient client, ScriptHttpRequest request, bool wallBound, Action<JsValue> resolve, Action<JsValue> reject)
    {
        if (_ioCancellation is null)
        {
            // Cancelled at the wall-clock deadline (SCR-41) or when the caller cancels.
            _ioCancellation = new CancellationTokenSource(RemainingWallClock, _timeProvider);
            _ioRegistration = CancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _ioCancellation);
        }

        var timeout = new CancellationTokenSource(request.Timeout, _timeProvider);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(_ioCancellation.Token, timeout.Token);
        Task<ScriptHttpResponse> task;
        try
        {
            task = client.SendAsync(request, linked.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            task = Task.FromException<ScriptHttpResponse>(ex);
        }

        (_io ??= []).Add(new PendingFetch(task, request.Url, wallBound, resolve, reject, timeout, linked));
    }

    /// <summary>Waits, outside the engine and off the script thread, until some outstanding I/O completes, the
    /// wall-clock deadline passes or the caller cancels. Never throws.</summary>
    public Task WaitForIoAsync()
    {
        var io = _io!;
        foreach (var f in io)
        {
            if (f.Task.IsCompleted)
            {
                return Task.CompletedTask;
            }
        }

        var tasks = new Task[io.Count + 1];
        for (int i = 0; i < io.Count; i++)
        {
            tasks[i] = io[i].Task;
        }

        tasks[^1] = Task.Delay(Timeout.InfiniteTimeSpan, _ioCancellation!.Token);
        return Task.WhenAny(tasks);
    }

    /// <summary>Removes and returns the completed I/O, in the order it was started.</summary>
    public List<PendingFetch> TakeCompletedIo()
    {
        var done = new List<PendingFetch>();
        if (_io is null)
        {
            return done;
        }

        _io.RemoveAll(f =>
        {
            if (!f.Task.IsCompleted)
            {
                return false;
            }

            done.Add(f);
            return true;
        });
        return done;
    }

    /// <summary>Cancels whatever I/O is still outstanding; called when the call ends, however it ends.</summary>
    public void EndIo()
    {
        if (_ioCancellation is null)
        {
            return;
        }

        _ioRegistration.Dispose();
        _ioCancellation.Cancel();
        foreach (var f in _io!)
        {
            f.Dispose();
        }

        _io.Clear();
        _ioCancellation.Dispose();
        _ioCancellation = null;
    }

    public void AddLog(string level, string message)
    {
        if (Logs.Count >= ScriptDefaults.ConsoleMaxEntries)
        {
            LogsTruncated = true;
            return;
        }

        Logs.Add(new ScriptLogEntry(level, message, _timeProvider.GetUtcNow()));
    }
}

/// <summary>The resolved limits shared by all realms of a host.</summary>
internal sealed class ScriptLimits
{
    public ScriptLimits(ScriptOptions options)
    {
        TimeLimit = options.TimeLimit;
        WallClockLimit = options.WallClockLimit;
        InstantiateTimeLimit = options.InstantiateTimeLimit;
        MaxStatements = options.MaxStatements;
        MaxRecursionDepth = options.MaxRecursionDepth;
        MaxAllocatedBytes = options.MaxAllocatedBytes;
        MaxSyntaxDepth = options.MaxSyntaxDepth;
        MaxResultDepth = options.MaxResultDepth;
        MaxJsonDepth = options.MaxJsonDepth;
        MaxStringLength = options.MaxStringLength;
        MaxArrayLength = options.MaxArrayLength;
        MaxHttpCalls = options.MaxHttpCalls;
        MaxHttpResponseBytes = options.MaxHttpResponseBytes;
        MaxResultBytes = options.MaxResultBytes;
        MaxSourceBytes = options.MaxSourceBytes;
    }

    public TimeSpan TimeLimit { get; }
    public TimeSpan WallClockLimit { get; }
    public TimeSpan InstantiateTimeLimit { get; }
    public int MaxStatements { get; }
    public int MaxRecursionDepth { get; }
    public long MaxAllocatedBytes { get; }
    public int MaxSyntaxDepth { get; }
    public int MaxResultDepth { get; }
    public int MaxJsonDepth { get; }
    public int MaxStringLength { get; }
    public int MaxArrayLength { get; }
    public int MaxHttpCalls { get; }
    public int MaxHttpResponseBytes { get; }
    public int MaxResultBytes { get; }
    public int MaxSourceBytes { get; }
}
