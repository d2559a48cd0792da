using System.Collections.Concurrent;
using System.Diagnostics;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>
/// A few dedicated threads with a large stack on which every engine entry runs (SCR-43). Work is queued, never run
/// on the .NET thread pool, whose 1.5 MiB stacks are too small for deep script recursion.
/// </summary>
/// <remarks>
/// Thread-safe. A work item's exception is handed to its awaiter, never to the thread.
/// Latency: a warm hook call takes a few microseconds, about as long as waking a blocked thread. So a worker that
/// has just finished an item spins briefly for the next one before it blocks, and a caller may spin briefly for a
/// quick result (<see cref="TryWaitBriefly"/>) instead of paying for a thread-pool continuation. Both spins are
/// bounded in time and in the number of threads spinning at once, so an idle or saturated node wastes little CPU.
/// </remarks>
internal sealed class ScriptThreadPool : IDisposable
{
    /// <summary>How long a worker keeps looking for more work after an item before it blocks.</summary>
    private static readonly long WorkerSpinTicks = Stopwatch.Frequency / 20_000; // 50 µs

    /// <summary>How long a caller may spin for a quick result before it falls back to a continuation.</summary>
    private static readonly long CallerSpinTicks = Stopwatch.Frequency / 25_000; // 40 µs

    private readonly ConcurrentQueue<IWorkItem> _queue = new();

    // Wake-up permits for blocked workers. A producer wakes a sleeper only when no spinning worker will take the
    // item, so a warm call does not also wake (and context-switch) an idle thread.
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread[] _threads;
    private readonly int _maxSpinningCallers;
    private volatile bool _disposed;
    private int _queued;
    private int _sleepers;
    private int _spinningWorkers;
    private int _spinningCallers;

    public ScriptThreadPool(int threadCount, int stackBytes)
    {
        // Spinning only pays when another core can run the script thread meanwhile.
        _maxSpinningCallers = Environment.ProcessorCount > 1 ? Math.Max(1, Environment.ProcessorCount / 2) : 0;
        _threads = new Thread[threadCount];
        for (int i = 0; i < threadCount; i++)
        {
            _threads[i] = new Thread(Loop, stackBytes)
            {
                IsBackground = true,
                Name = "ChatIntegrations script thread " + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            _threads[i].Start();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a script thread.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var item = new WorkItem<T>(work);
        _queue.Enqueue(item);

        // The increment is a full fence: a worker that stops spinning or goes to sleep after it sees the item.
        if (Interlocked.Increment(ref _queued) > Volatile.Read(ref _spinningWorkers))
        {
            WakeOne();
        }

        return item.Task;
    }

    /// <summary>Spins briefly for <paramref name="task"/> to complete; returns whether it did. Lets a quick call
    /// return without a thread-pool continuation. Gives up at once when other callers are already spinning.</summary>
    public bool TryWaitBriefly(Task task)
    {
        if (task.IsCompleted)
        {
            return true;
        }

        if (Interlocked.Increment(ref _spinningCallers) > _maxSpinningCallers)
        {
            Interlocked.Decrement(ref _spinningCallers);
            return false;
        }

        try
        {
            long until = Stopwatch.GetTimestamp() + CallerSpinTicks;
            var spinner = default(SpinWait);
            while (!task.IsCompleted)
            {
                if (Stopwatch.GetTimestamp() > until)
                {
                    return false;
                }

                spinner.SpinOnce(sleep1Threshold: -1);
            }

            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _spinningCallers);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Interlocked.MemoryBarrier();
        _wake.Release(_threads.Length);
        foreach (var thread in _threads)
        {
            if (thread != Thread.CurrentThread)
            {
                thread.Join(TimeSpan.FromSeconds(5));
            }
        }
    }

    private void WakeOne()
    {
        int sleepers;
        do
        {
            sleepers = Volatile.Read(ref _sleepers);
            if (sleepers == 0)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _sleepers, sleepers - 1, sleepers) != sleepers);
        _wake.Release();
    }

    private void Loop()
    {
        while (true)
        {
            if (_queue.TryDequeue(out var item))
            {
                Interlocked.Decrement(ref _queued);
                item.Run();
                continue;
            }

            if (_disposed)
            {
                return; // queued items have all been run
            }

            if (SpinForWork())
            {
                continue;
            }

            Interlocked.Increment(ref _sleepers);
            if (Volatile.Read(ref _queued) > 0 || _disposed)
            {
                // Work (or disposal) arrived meanwhile: withdraw, unless a producer already sent a permit.
                int sleepers = Volatile.Read(ref _sleepers);
                while (sleepers > 0 && Interlocked.CompareExchange(ref _sleepers, sleepers - 1, sleepers) != sleepers)
                {
                    sleepers = Volatile.Read(ref _sleepers);
                }

                if (sleepers > 0)
                {
                    continue;
                }
            }

            _wake.Wait();
        }
    }

    /// <summary>After an item, one worker at a time watches the queue briefly before blocking; returns whether
    /// work arrived.</summary>
    private bool SpinForWork()
    {
        if (Interlocked.CompareExchange(ref _spinningWorkers, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            long until = Stopwatch.GetTimestamp() + WorkerSpinTicks;
            var spinner = default(SpinWait);
            while (Stopwatch.GetTimestamp() <= until)
            {
                if (Volatile.Read(ref _queued) > 0 || _disposed)
                {
                    return true;
                }

                spinner.SpinOnce(sleep1Threshold: -1);
            }

            return false;
        }
        finally
        {
            Interlocked.Exchange(ref _spinningWorkers, 0);
        }
    }

    private interface IWorkItem
    {
        void Run();
    }

    private sealed class WorkItem<T>(Func<T> work) : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), IWorkItem
    {
        // Continuations must not run inline on the script thread (RunContinuationsAsynchronously).
        public void Run()
        {
            try
            {
                SetResult(work());
            }
            catch (Exception ex)
            {
                SetException(ex);
            }
        }
    }
}
