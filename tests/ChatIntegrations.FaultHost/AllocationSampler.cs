using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ChatIntegrations.FaultHost;

/// <summary>Samples allocations by type (the runtime's GC AllocationTick event, about one per 100 KB allocated) while
/// CHATINTEGRATIONS_ALLOC_SAMPLES is set; <see cref="Top"/> lists the types that took the most samples.</summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public static AllocationSampler? StartIfAsked() =>
        Environment.GetEnvironmentVariable("CHATINTEGRATIONS_ALLOC_SAMPLES") is { Length: > 0 } ? new AllocationSampler() : null;

    public void Reset() => _bytes.Clear();

    public string Top(int count)
    {
        var total = Math.Max(1, _bytes.Values.Sum());
        return string.Join(" | ", _bytes.OrderByDescending(p => p.Value).Take(count).Select(p => $"{p.Key} {100.0 * p.Value / total:F1}%"));
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
    }
}
