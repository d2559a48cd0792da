using System.Text.RegularExpressions;
using Jint.Native.RegExp;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>
/// Gives every regular expression of a realm a match timeout no longer than the call's remaining time (SCR-44a),
/// per pattern and never through the process-wide default.
/// </summary>
/// <remarks>
/// Jint 2.10.4 builds <see cref="RegExpInstance.Value"/> without a timeout; before each match the bounded built-ins
/// swap in a copy with a timeout. The copies are cached per pattern and options; one is reused while its timeout is
/// within the remaining time, and rebuilt with 7/8 of the remaining time otherwise, so that a call rebuilds a
/// pattern only a few dozen times at most. Single-threaded, like its realm.
/// </remarks>
internal sealed class RegexGuard
{
    private const int MaxCached = 256;
    private readonly Dictionary<(string Pattern, RegexOptions Options), Regex> _cache = [];

    public void Prepare(RegExpInstance regExp, CallContext context)
    {
        var remaining = context.RemainingTime;
        if (remaining <= TimeSpan.Zero)
        {
            throw new LimitHitException(ScriptReasons.Timeout, "the script time limit was exceeded");
        }

        var current = regExp.Value;
        if (current is null || Fits(current.MatchTimeout, remaining))
        {
            return;
        }

        var key = (current.ToString(), current.Options);
        if (_cache.TryGetValue(key, out var cached) && Fits(cached.MatchTimeout, remaining))
        {
            regExp.Value = cached;
            return;
        }

        var timeout = remaining - (remaining / 8);
        if (timeout < TimeSpan.FromMilliseconds(1))
        {
            timeout = TimeSpan.FromMilliseconds(1);
        }

        var timed = new Regex(key.Item1, key.Options, timeout);
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[key] = timed;
        regExp.Value = timed;
    }

    // A timeout fits while it is within the remaining time and not far below it (a copy made late in an earlier
    // call must not cut a fresh call short).
    private static bool Fits(TimeSpan timeout, TimeSpan remaining) =>
        timeout != Regex.InfiniteMatchTimeout && timeout <= remaining && timeout >= remaining / 2;
}
