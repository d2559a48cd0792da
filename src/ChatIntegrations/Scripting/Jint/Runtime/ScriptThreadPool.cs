using System.Collections.Concurrent;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>
/// A few dedicated threads with a large stack on which every engine entry runs (SCR-43). Work is queued, never run
/// on the .NET thread pool, whose 1.5 MiB stacks are too small for deep script recursion.
/// </summary>
/// <remarks>Thread-safe. A work item's exception is handed to its awaiter, never to the thread.</remarks>
internal sealed class ScriptThreadPool : IDisposable
{
    private readonly BlockingCollection<IWorkItem> _queue = new(new ConcurrentQueue<IWorkItem>());
    private readonly Thread[] _threads;

    public ScriptThreadPool(int threadCount, int stackBytes)
    {
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
        var item = new WorkItem<T>(work);
        try
        {
            _queue.Add(item);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(ScriptThreadPool));
        }

        return item.Completion.Task;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads)
        {
            if (thread != Thread.CurrentThread)
            {
                thread.Join(TimeSpan.FromSeconds(5));
            }
        }

        _queue.Dispose();
    }

    private void Loop()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            item.Run();
        }
    }

    private interface IWorkItem
    {
        void Run();
    }

    private sealed class WorkItem<T>(Func<T> work) : IWorkItem
    {
        // Continuations must not run inline on the script thread.
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run()
        {
            try
            {
                Completion.SetResult(work());
            }
            catch (Exception ex)
            {
                Completion.SetException(ex);
            }
        }
    }
}
