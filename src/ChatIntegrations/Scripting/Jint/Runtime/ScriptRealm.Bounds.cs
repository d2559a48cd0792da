using global::Jint;
using global::Jint.Native;
using global::Jint.Native.Object;
using global::Jint.Runtime;
using global::Jint.Runtime.Descriptors;
using global::Jint.Runtime.Interop;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>
/// The bounds Jint 4 leaves open (SCR-44a). Jint checks its constraints between statements, not inside a native
/// built-in, and checks <c>MaxArraySize</c> against capacity, not length: <c>arr.length = 5e7</c> makes an array that
/// <c>join</c> walks 50 million times and turns into a 100-million-character string in one call. So the built-ins that
/// walk an array's length refuse a length over <c>MaxArrayLength</c>, the ones that build a string refuse one over
/// <c>MaxStringLength</c> before building it, and <c>JSON.stringify</c> is the bridge's bounded writer.
/// </summary>
internal sealed partial class ScriptRealm
{
    /// <summary>Array methods whose native loop runs to <c>length</c>, or that build an array from it.</summary>
    private static readonly string[] LengthWalkingArrayMethods =
    [
        "indexOf", "lastIndexOf", "includes", "forEach", "map", "filter", "some", "every", "reduce", "reduceRight",
        "find", "findIndex", "findLast", "findLastIndex", "fill", "reverse", "sort", "slice", "splice", "copyWithin",
        "flat", "flatMap", "shift", "unshift", "toReversed", "toSorted", "toSpliced", "with",
    ];

    /// <summary>Array methods that build a string from every element.</summary>
    private static readonly string[] StringBuildingArrayMethods = ["join", "toString", "toLocaleString"];

    private void InstallBounds()
    {
        var arrayPrototype = Engine.Intrinsics.Array.PrototypeObject;
        foreach (var name in LengthWalkingArrayMethods)
        {
            Wrap(arrayPrototype, name, (original, self, args) =>
            {
                CheckArrayLike(self);
                return original.Call(self, args);
            });
        }

        foreach (var name in StringBuildingArrayMethods)
        {
            bool isJoin = name == "join";
            Wrap(arrayPrototype, name, (original, self, args) =>
            {
                long length = CheckArrayLike(self);
                if (isJoin)
                {
                    // SCR-44a: the result's length is known before it is built.
                    var separator = args.Length > 0 && !args[0].IsUndefined() ? TypeConverter.ToString(args[0]) : ",";
                    CheckStringLength(Math.Max(0, length - 1) * (double)separator.Length);
                }

                var result = original.Call(self, args);
                if (result.IsString())
                {
                    CheckStringLength(result.AsString().Length);
                }

                return result;
            });
        }

        Wrap(arrayPrototype, "concat", (original, self, args) =>
        {
            CheckArrayLike(self);
            foreach (var arg in args)
            {
                CheckArrayLike(arg);
            }

            return original.Call(self, args);
        });

        var stringPrototype = Engine.Global.Get("String").Get("prototype").AsObject();
        Wrap(stringPrototype, "repeat", (original, self, args) =>
        {
            var count = args.Length > 0 ? TypeConverter.ToNumber(args[0]) : 0;
            if (count > 0 && !double.IsInfinity(count))
            {
                CheckStringLength(TypeConverter.ToString(self).Length * Math.Floor(count));
            }

            return original.Call(self, args);
        });
        foreach (var name in new[] { "padStart", "padEnd" })
        {
            Wrap(stringPrototype, name, (original, self, args) =>
            {
                CheckStringLength(args.Length > 0 ? TypeConverter.ToNumber(args[0]) : 0);
                return original.Call(self, args);
            });
        }

        Wrap(stringPrototype, "concat", (original, self, args) =>
        {
            double total = TypeConverter.ToString(self).Length;
            foreach (var arg in args)
            {
                total += arg.IsString() ? arg.AsString().Length : 0;
            }

            CheckStringLength(total);
            return original.Call(self, args);
        });
        foreach (var name in new[] { "replace", "replaceAll", "normalize", "toUpperCase", "toLowerCase" })
        {
            Wrap(stringPrototype, name, (original, self, args) =>
            {
                var result = original.Call(self, args);
                if (result.IsString())
                {
                    CheckStringLength(result.AsString().Length);
                }

                return result;
            });
        }

        var json = Engine.Global.Get("JSON").AsObject();
        Define(json, "stringify", 3, (_, a) => Json.Stringify(At(a, 0), At(a, 1), At(a, 2)));
        Wrap(json, "parse", (original, self, args) =>
        {
            try
            {
                return original.Call(self, args);
            }
            catch (JavaScriptException ex) when (ex.Message.StartsWith("Max. depth level of JSON", StringComparison.Ordinal))
            {
                // IN-18, SCR-44a: deeper than MaxJsonDepth is the recursion limit, not a SyntaxError a script catches.
                throw new LimitHitException(ScriptReasons.RecursionLimit, "JSON.parse: nesting deeper than MaxJsonDepth");
            }
        });
    }

    /// <summary>Refuses an array or array-like longer than <c>MaxArrayLength</c>; returns its length (0 for anything
    /// else).</summary>
    private long CheckArrayLike(JsValue value)
    {
        if (!value.IsObject() || value.IsCallable())
        {
            return 0;
        }

        long length = LengthOf(value.AsObject());
        if (length > Limits.MaxArrayLength)
        {
            throw new LimitHitException(ScriptReasons.MemoryLimit, "an array longer than MaxArrayLength was used");
        }

        return length;
    }

    private static long LengthOf(ObjectInstance obj)
    {
        if (obj is JsArray array)
        {
            return array.Length;
        }

        var length = obj.Get("length");
        return length.IsNumber() ? (long)Math.Min(TypeConverter.ToLength(length), long.MaxValue) : 0;
    }

    private void CheckStringLength(double length)
    {
        if (length > Limits.MaxStringLength)
        {
            throw new LimitHitException(ScriptReasons.MemoryLimit, "a string longer than MaxStringLength was requested");
        }
    }

    /// <summary>Replaces a built-in method with a bounded one that calls the original.</summary>
    private void Wrap(ObjectInstance target, string name, Func<JsValue, JsValue, JsValue[], JsValue> bounded)
    {
        var original = target.Get(name);
        if (!original.IsCallable())
        {
            return;
        }

        int length = (int)TypeConverter.ToNumber(original.AsObject().Get("length"));
        var function = new ClrFunction(Engine, name, (self, args) => bounded(original, self, args), length, PropertyFlag.Configurable);
        target.FastSetProperty(name, new PropertyDescriptor(function, PropertyFlag.Configurable | PropertyFlag.Writable));
    }
}
