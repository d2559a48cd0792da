using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.RegularExpressions;
using ChatIntegrations.Scripting.Jint.Compilation;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Object;
using Jint.Native.RegExp;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace ChatIntegrations.Scripting.Jint.Runtime;

internal sealed partial class ScriptRealm
{
    private readonly HashSet<ObjectInstance> _joining = new(ReferenceEqualityComparer.Instance);

    /// <summary>SEC-15, SCR-50: no <c>eval</c>, no <c>Function</c> constructor however reached, <c>globalThis</c>,
    /// the checkpoint, the regular-expression factory and a <c>Date</c> on <see cref="TimeProvider"/> (SCR-73).</summary>
    private void InstallSandbox()
    {
        var global = Engine.Global;
        _originalRegExp = Engine.RegExp;
        Define(global, "eval", 1, (_, _) => throw NotAllowed());

        var originalFunction = Engine.Function;
        var function = new NativeConstructor(Engine, 1, (_, _) => throw NotAllowed(), _ => throw NotAllowed());
        function.Replace(originalFunction, originalFunction.PrototypeObject, "Function");

        global.FastSetProperty("globalThis", new PropertyDescriptor(global, true, false, true));

        // SCR-44: the checkpoint the front end (or ProgramInstrumenter) inserts at function entries and loops.
        Define(global, ProgramInstrumenter.CheckpointName, 0, (_, _) =>
        {
            Current.Check();
            return JsValue.Undefined;
        }, writable: false);

        var originalRegExp = Engine.RegExp;
        var regExp = new NativeConstructor(
            Engine,
            2,
            (_, a) => a.At(0).IsRegExp() && a.At(1).IsUndefined() ? a.At(0) : NewRegExp(a.At(0), a.At(1)),
            a => NewRegExp(a.At(0), a.At(1)));
        regExp.Replace(originalRegExp, originalRegExp.PrototypeObject, "RegExp");
        Define(global, ProgramInstrumenter.RegExpFactoryName, 2, (_, a) => NewRegExp(a.At(0), a.At(1)), writable: false);

        var originalDate = Engine.Date;
        var date = new NativeConstructor(
            Engine,
            7,
            (_, _) => new JsValue(TypeConverter.ToString(originalDate.Construct([new JsValue(NowMs())]))),
            a => a.Length == 0 ? originalDate.Construct([new JsValue(NowMs())]) : originalDate.Construct(a));
        date.Replace(originalDate, originalDate.PrototypeObject, "Date");
        Define(date, "now", 0, (_, _) => new JsValue(NowMs()));
    }

    private double NowMs() => TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private JavaScriptException NotAllowed() => new(Engine.EvalError, "not allowed");

    /// <summary>Creates a realm-local <c>RegExp</c>; SCR-61: <c>u</c>, <c>y</c> and <c>d</c> are rejected by
    /// name, <c>s</c> becomes <see cref="RegexOptions.Singleline"/>.</summary>
    private ObjectInstance NewRegExp(JsValue pattern, JsValue flags)
    {
        Current.CheckTimeAndMemory();
        string f = flags.IsUndefined()
            ? (pattern.IsRegExp() ? pattern.AsRegExp().Flags ?? string.Empty : string.Empty)
            : TypeConverter.ToString(flags);
        foreach (char c in f)
        {
            if (c is 'u' or 'y' or 'd')
            {
                throw new JavaScriptException(Engine.SyntaxError, $"Regular expression flag '{c}' is not supported");
            }
        }

        bool dotAll = f.Contains('s', StringComparison.Ordinal);
        var source = pattern.IsRegExp() ? new JsValue(pattern.AsRegExp().Source) : pattern;
        var regExp = (RegExpInstance)_originalRegExp!.Construct([source, new JsValue(dotAll ? f.Replace("s", string.Empty, StringComparison.Ordinal) : f)]);
        if (dotAll)
        {
            var value = regExp.Value;
            regExp.Value = new Regex(value.ToString(), (value.Options & ~RegexOptions.ECMAScript) | RegexOptions.Singleline);
            regExp.Flags = f;
            regExp.FastAddProperty("dotAll", JsValue.True, false, false, true);
        }

        return regExp;
    }

    private global::Jint.Native.RegExp.RegExpConstructor? _originalRegExp;

    /// <summary>SCR-44a: the bounded built-ins.</summary>
    private void InstallBoundedBuiltIns()
    {
        var originalArray = Engine.Array;
        var array = new NativeConstructor(Engine, 1, (_, a) => NewArray(a), NewArray);
        array.Replace(originalArray, originalArray.PrototypeObject, "Array");

        ObjectInstance NewArray(JsValue[] a)
        {
            Current.CheckTimeAndMemory();
            Current.CheckArrayLength(a.Length == 1 && a[0].IsNumber() ? a[0].AsNumber() : a.Length);
            return originalArray.Construct(a);
        }

        var arrayProto = Engine.Array.PrototypeObject;
        foreach (var name in new[] { "sort", "map", "filter", "forEach", "reduce", "reduceRight", "indexOf", "lastIndexOf", "slice", "reverse", "every", "some", "shift" })
        {
            Wrap(arrayProto, name, (original, self, args) =>
            {
                LengthOf(self);
                return CallUnwrapped(original, self, args);
            });
        }

        Wrap(arrayProto, "push", (original, self, args) =>
        {
            Current.CheckArrayLength(LengthOf(self, check: false) + (double)args.Length);
            return original.Call(self, args);
        });
        Wrap(arrayProto, "unshift", (original, self, args) =>
        {
            Current.CheckArrayLength(LengthOf(self) + (double)args.Length);
            return original.Call(self, args);
        });
        Wrap(arrayProto, "splice", (original, self, args) =>
        {
            Current.CheckArrayLength(LengthOf(self) + (double)Math.Max(0, args.Length - 2));
            return original.Call(self, args);
        });
        Wrap(arrayProto, "concat", (original, self, args) =>
        {
            double total = LengthOf(self);
            foreach (var a in args)
            {
                total += a.IsObject() && a.AsObject().Class == "Array" ? TypeConverter.ToUint32(a.AsObject().Get("length")) : 1;
            }

            Current.CheckArrayLength(total);
            return original.Call(self, args);
        });
        Define(arrayProto, "join", 1, Join);

        var stringProto = Engine.String.PrototypeObject;
        Define(stringProto, "repeat", 1, (self, args) =>
        {
            var s = ThisString(self);
            double count = TypeConverter.ToInteger(args.At(0));
            if (count < 0 || double.IsInfinity(count))
            {
                throw new JavaScriptException(Engine.RangeError, "Invalid count value");
            }

            Current.CheckStringLength((long)Math.Min(long.MaxValue / 2, s.Length * count));
            if (s.Length == 0 || count == 0)
            {
                return new JsValue(string.Empty);
            }

            var sb = new StringBuilder(s.Length * (int)count);
            for (int i = 0; i < (int)count; i++)
            {
                sb.Append(s);
            }

            return new JsValue(sb.ToString());
        });
        Define(stringProto, "padStart", 2, (self, args) => Pad(self, args, atStart: true));
        Define(stringProto, "padEnd", 2, (self, args) => Pad(self, args, atStart: false));
        Define(stringProto, "concat", 1, (self, args) =>
        {
            var s = ThisString(self);
            var parts = new string[args.Length + 1];
            parts[0] = s;
            long total = s.Length;
            for (int i = 0; i < args.Length; i++)
            {
                parts[i + 1] = TypeConverter.ToString(args[i]);
                total += parts[i + 1].Length;
                Current.CheckStringLength(total);
            }

            return new JsValue(string.Concat(parts));
        });
        Wrap(stringProto, "replace", (original, self, args) =>
        {
            Current.CheckTimeAndMemory();
            PrepareIfRegExp(args.At(0));
            var result = CallUnwrapped(original, self, args);
            if (result.IsString())
            {
                Current.CheckStringLength(result.AsString().Length);
            }

            return result;
        });
        Wrap(stringProto, "split", (original, self, args) =>
        {
            Current.CheckTimeAndMemory();
            var separator = args.At(0);
            var limit = args.At(1);
            if (!separator.IsRegExp())
            {
                return SplitString(self, separator, limit);
            }

            PrepareIfRegExp(separator);
            var bounded = limit.IsUndefined() ? new JsValue(Limits.MaxArrayLength + 1.0) : limit;
            var result = CallUnwrapped(original, self, [separator, bounded]);
            Current.CheckArrayLength(TypeConverter.ToUint32(result.AsObject().Get("length")));
            return result;
        });
        foreach (var name in new[] { "match", "search" })
        {
            Wrap(stringProto, name, (original, self, args) =>
            {
                Current.CheckTimeAndMemory();
                var pattern = args.At(0);
                if (!pattern.IsRegExp())
                {
                    pattern = NewRegExp(pattern.IsUndefined() ? new JsValue(string.Empty) : pattern, JsValue.Undefined);
                }

                PrepareIfRegExp(pattern);
                return CallUnwrapped(original, self, [pattern]);
            });
        }

        var regExpProto = Engine.RegExp.PrototypeObject;
        foreach (var name in new[] { "exec", "test" })
        {
            Wrap(regExpProto, name, (original, self, args) =>
            {
                Current.CheckTimeAndMemory();
                PrepareIfRegExp(self);
                return CallUnwrapped(original, self, args);
            });
        }

        Wrap(Engine.Function.PrototypeObject, "apply", (original, self, args) =>
        {
            var list = args.At(1);
            if (list.IsObject())
            {
                Current.CheckArrayLength(TypeConverter.ToUint32(list.AsObject().Get("length")));
            }

            return original.Call(self, args);
        });

        var json = Engine.Json;
        Define(json, "parse", 2, (_, a) =>
        {
            Current.Check();
            return Json.Parse(TypeConverter.ToString(a.At(0)), a.At(1));
        });
        Define(json, "stringify", 3, (_, a) =>
        {
            Current.Check();
            return Json.Stringify(a.At(0), a.At(1), a.At(2));
        });
    }

    private void PrepareIfRegExp(JsValue value)
    {
        if (value.IsRegExp())
        {
            _regex.Prepare(value.AsRegExp(), Current);
        }
    }

    /// <summary>Reads <c>length</c> of <paramref name="self"/> and checks it against <c>MaxArrayLength</c>.</summary>
    private uint LengthOf(JsValue self, bool check = true)
    {
        var context = Current;
        context.Check();
        var length = TypeConverter.ToUint32(TypeConverter.ToObject(Engine, self).Get("length"));
        if (check)
        {
            context.CheckArrayLength(length);
        }

        return length;
    }

    private string ThisString(JsValue self)
    {
        Current.CheckTimeAndMemory();
        TypeConverter.CheckObjectCoercible(Engine, self);
        return TypeConverter.ToString(self);
    }

    private JsValue Pad(JsValue self, JsValue[] args, bool atStart)
    {
        var s = ThisString(self);
        double target = TypeConverter.ToInteger(args.At(0));
        if (target <= s.Length)
        {
            return new JsValue(s);
        }

        Current.CheckStringLength((long)Math.Min(long.MaxValue / 2, target));
        string filler = args.At(1).IsUndefined() ? " " : TypeConverter.ToString(args.At(1));
        if (filler.Length == 0)
        {
            return new JsValue(s);
        }

        int fill = (int)target - s.Length;
        var sb = new StringBuilder((int)target);
        if (!atStart)
        {
            sb.Append(s);
        }

        while (fill > 0)
        {
            int n = Math.Min(fill, filler.Length);
            sb.Append(filler, 0, n);
            fill -= n;
        }

        if (atStart)
        {
            sb.Append(s);
        }

        return new JsValue(sb.ToString());
    }

    private JsValue Join(JsValue self, JsValue[] args)
    {
        var context = Current;
        context.Check();
        var o = TypeConverter.ToObject(Engine, self);
        uint length = TypeConverter.ToUint32(o.Get("length"));
        context.CheckArrayLength(length);
        string separator = args.At(0).IsUndefined() ? "," : TypeConverter.ToString(args.At(0));
        if (length == 0 || !_joining.Add(o))
        {
            // A cyclic join yields "" for the inner occurrence, as engines do.
            return new JsValue(string.Empty);
        }

        try
        {
            long total = (long)separator.Length * (length - 1);
            context.CheckStringLength(total);
            var sb = new StringBuilder();
            for (uint k = 0; k < length; k++)
            {
                if (k > 0)
                {
                    sb.Append(separator);
                }

                var element = o.Get(JsonBridge.Index(k));
                if (!element.IsUndefined() && !element.IsNull())
                {
                    var s = TypeConverter.ToString(element);
                    total += s.Length;
                    context.CheckStringLength(total);
                    sb.Append(s);
                }

                if ((k & 1023) == 1023)
                {
                    context.CheckTimeAndMemory();
                }
            }

            return new JsValue(sb.ToString());
        }
        finally
        {
            _joining.Remove(o);
        }
    }

    private JsValue SplitString(JsValue self, JsValue separator, JsValue limitValue)
    {
        var s = ThisString(self);
        double limit = limitValue.IsUndefined() ? uint.MaxValue : TypeConverter.ToUint32(limitValue);
        var parts = new List<JsValue>();
        void Add(string part)
        {
            parts.Add(new JsValue(part));
            if (parts.Count > Limits.MaxArrayLength)
            {
                throw new LimitHitException(ScriptReasons.MemoryLimit, "an array longer than MaxArrayLength was requested");
            }
        }

        if (limit == 0)
        {
            return Json.NewArray([]);
        }

        if (separator.IsUndefined())
        {
            return Json.NewArray([new JsValue(s)]);
        }

        string sep = TypeConverter.ToString(separator);
        if (sep.Length == 0)
        {
            for (int i = 0; i < s.Length && parts.Count < limit; i++)
            {
                Add(s[i].ToString());
            }

            return Json.NewArray(parts.ToArray());
        }

        int start = 0;
        while (parts.Count < limit)
        {
            int at = s.IndexOf(sep, start, StringComparison.Ordinal);
            if (at < 0)
            {
                Add(s[start..]);
                break;
            }

            Add(s[start..at]);
            start = at + sep.Length;
        }

        return Json.NewArray(parts.ToArray());
    }

    /// <summary>Replaces <paramref name="name"/> on <paramref name="target"/> with a wrapper around the original.</summary>
    private void Wrap(ObjectInstance target, string name, Func<ICallable, JsValue, JsValue[], JsValue> wrapper)
    {
        var original = (ICallable)target.Get(name).AsObject();
        int length = (int)TypeConverter.ToInteger(((FunctionInstance)original).Get("length"));
        Define(target, name, length, (self, args) => wrapper(original, self, args));
    }

    /// <summary>Calls a Jint built-in and rethrows a script error or limit hit that .NET wrapped on the way out
    /// (for example <c>Array.Sort</c> wraps comparer exceptions in <see cref="InvalidOperationException"/>).</summary>
    private static JsValue CallUnwrapped(ICallable original, JsValue self, JsValue[] args)
    {
        try
        {
            return original.Call(self, args);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is JavaScriptException or LimitHitException or TimeoutException
            or StatementsCountOverflowException or RecursionDepthOverflowException or RegexMatchTimeoutException or OperationCanceledException)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
