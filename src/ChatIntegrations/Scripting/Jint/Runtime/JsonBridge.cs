using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using global::Jint;
using global::Jint.Native;
using global::Jint.Native.Object;
using global::Jint.Runtime;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>
/// Moves values between JSON and one realm: hook arguments in (SCR-70), results out (SCR-45, SCR-71), JSON text
/// for the host's helpers, and the bounded <c>JSON.stringify</c> of SCR-44a.
/// </summary>
/// <remarks>Used only on the script thread running the realm. Recursion is bounded by the depth limits, which
/// are far below what the script thread's stack can hold.</remarks>
internal sealed class JsonBridge(Engine engine, ScriptLimits limits, Func<CallContext> context)
{
    private static readonly string[] IndexStrings = Enumerable.Range(0, 1024).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    private readonly HashSet<ObjectInstance> _path = new(ReferenceEqualityComparer.Instance);

    public static string Index(long i) => i < IndexStrings.Length ? IndexStrings[i] : i.ToString(CultureInfo.InvariantCulture);

    // ---- JSON in ------------------------------------------------------------------------------------------

    /// <summary>Builds a fresh JavaScript value from <paramref name="node"/> (SCR-70: a deep copy by construction).</summary>
    public JsValue FromNode(JsonNode? node, int depth = 0)
    {
        switch (node)
        {
            case null:
                return JsValue.Null;
            case JsonObject obj:
                {
                    GuardInputDepth(depth);
                    var target = new JsObject(engine);
                    foreach (var (key, value) in obj)
                    {
                        target.FastSetDataProperty(key, FromNode(value, depth + 1));
                    }

                    return target;
                }

            case JsonArray arr:
                {
                    GuardInputDepth(depth);
                    var items = new JsValue[arr.Count];
                    for (int i = 0; i < items.Length; i++)
                    {
                        items[i] = FromNode(arr[i], depth + 1);
                    }

                    return NewArray(items);
                }

            case JsonValue value:
                return FromValue(value);
            default:
                return JsValue.Undefined;
        }
    }

    private static void GuardInputDepth(int depth)
    {
        if (depth > 1000)
        {
            throw new ArgumentException("The hook argument is nested too deeply.");
        }
    }

    private static JsValue FromValue(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return new JsString(value.GetValue<string>());
            case JsonValueKind.True:
                return JsBoolean.True;
            case JsonValueKind.False:
                return JsBoolean.False;
            case JsonValueKind.Number:
                if (value.TryGetValue(out double d))
                {
                    return JsNumber.Create(d);
                }

                if (value.TryGetValue(out long l))
                {
                    return JsNumber.Create(l);
                }

                if (value.TryGetValue(out int n))
                {
                    return JsNumber.Create(n);
                }

                if (value.TryGetValue(out decimal m))
                {
                    return JsNumber.Create((double)m);
                }

                return JsNumber.Create(double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture));
            case JsonValueKind.Null:
                return JsValue.Null;
            default:
                return JsValue.Undefined;
        }
    }

    public ObjectInstance NewArray(JsValue[] items) => new JsArray(engine, items);

    // ---- JSON.parse ---------------------------------------------------------------------------------------

    /// <summary>Parses JSON text into fresh JavaScript values; returns <see langword="null"/> on bad syntax when
    /// <paramref name="throwSyntaxError"/> is false.</summary>
    public JsValue ParseText(string text, bool throwSyntaxError)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = limits.MaxJsonDepth + 2 });
        var stack = new Stack<Frame>();
        JsValue? root = null;
        int count = 0;
        try
        {
            while (reader.Read())
            {
                if ((++count & 1023) == 0)
                {
                    context().CheckTimeAndMemory();
                }

                JsValue value;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (stack.Count >= limits.MaxJsonDepth)
                        {
                            throw new LimitHitException(ScriptReasons.RecursionLimit, "JSON.parse: nesting deeper than MaxJsonDepth");
                        }

                        stack.Push(reader.TokenType == JsonTokenType.StartObject
                            ? new Frame(new JsObject(engine), null)
                            : new Frame(null, []));
                        continue;
                    case JsonTokenType.PropertyName:
                        stack.Peek().Key = reader.GetString();
                        continue;
                    case JsonTokenType.EndObject:
                        value = stack.Pop().Object!;
                        break;
                    case JsonTokenType.EndArray:
                        {
                            var items = stack.Pop().Items!;
                            context().CheckArrayLength(items.Count);
                            value = NewArray(items.ToArray());
                            break;
                        }

                    case JsonTokenType.String:
                        value = new JsString(reader.GetString()!);
                        break;
                    case JsonTokenType.Number:
                        value = JsNumber.Create(reader.TryGetDouble(out var d)
                            ? d
                            : double.Parse(Encoding.UTF8.GetString(reader.ValueSpan), NumberStyles.Float, CultureInfo.InvariantCulture));
                        break;
                    case JsonTokenType.True:
                        value = JsBoolean.True;
                        break;
                    case JsonTokenType.False:
                        value = JsBoolean.False;
                        break;
                    case JsonTokenType.Null:
                        value = JsValue.Null;
                        break;
                    default:
                        continue;
                }

                if (stack.Count == 0)
                {
                    root = value;
                }
                else
                {
                    var frame = stack.Peek();
                    if (frame.Object is { } o)
                    {
                        o.Set(frame.Key!, value);
                    }
                    else
                    {
                        frame.Items!.Add(value);
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            if (!throwSyntaxError)
            {
                return JsValue.Null;
            }

            throw new JavaScriptException((global::Jint.Native.Error.ErrorConstructor)engine.Global.Get("SyntaxError"), "JSON.parse: " + FirstSentence(ex.Message));
        }

        if (root is null)
        {
            if (!throwSyntaxError)
            {
                return JsValue.Null;
            }

            throw new JavaScriptException((global::Jint.Native.Error.ErrorConstructor)engine.Global.Get("SyntaxError"), "JSON.parse: unexpected end of input");
        }

        return root;
    }

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }

    // ---- keys ---------------------------------------------------------------------------------------------

    /// <summary>Own enumerable string keys in ECMAScript order (array indices ascending first).</summary>
    public static List<string> EnumerableKeys(ObjectInstance obj)
    {
        var keys = new List<string>();
        bool hasIndex = false;
        foreach (var (property, descriptor) in obj.GetOwnProperties())
        {
            if (descriptor.Enumerable && property.IsString())
            {
                var key = property.AsString();
                keys.Add(key);
                hasIndex |= key.Length > 0 && key[0] is >= '0' and <= '9' && IsArrayIndex(key);
            }
        }

        if (hasIndex)
        {
            var indices = keys.Where(IsArrayIndex).OrderBy(k => uint.Parse(k, CultureInfo.InvariantCulture)).ToList();
            indices.AddRange(keys.Where(k => !IsArrayIndex(k)));
            return indices;
        }

        return keys;
    }

    private static bool IsArrayIndex(string key) =>
        uint.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n != uint.MaxValue
        && (key.Length == 1 || key[0] != '0');

    // ---- values -------------------------------------------------------------------------------------------

    /// <summary>Applies <c>toJSON</c> and unwraps boxed primitives, as <c>SerializeJSONProperty</c> does.</summary>
    private JsValue Normalize(JsValue value, string key)
    {
        if (!value.IsObject())
        {
            return value;
        }

        var obj = value.AsObject();
        var toJson = obj.Get(ToJsonKey);
        if (toJson.IsCallable())
        {
            value = toJson.Call(value, [new JsString(key)]);
            if (!value.IsObject())
            {
                return value;
            }

            obj = value.AsObject();
        }

        return Unbox(value);
    }

    /// <summary>Unwraps boxed primitives (<c>new Number(1)</c>, <c>new String("")</c>, <c>new Boolean(true)</c>).</summary>
    private static JsValue Unbox(JsValue value)
    {
        var obj = value.AsObject();
        return obj.GetType().Name switch
        {
            "NumberInstance" => JsNumber.Create(TypeConverter.ToNumber(value)),
            "StringInstance" => new JsString(TypeConverter.ToString(value)),
            "BooleanInstance" => TypeConverter.ToBoolean(TypeConverter.ToPrimitive(value)) ? JsBoolean.True : JsBoolean.False,
            _ => value,
        };
    }

    // ---- copy-out -----------------------------------------------------------------------------------------

    /// <summary>Copies a hook result out through JSON rules (SCR-71). Cycles, nesting deeper than
    /// <c>MaxResultDepth</c> and results over <c>MaxResultBytes</c> are <c>invalid-result</c> (SCR-45).</summary>
    public JsonNode? ToNode(JsValue value)
    {
        _path.Clear();
        long budget = limits.MaxResultBytes;
        var holderKey = string.Empty;
        var result = ToNode(value, holderKey, 0, ref budget, out var dropped);
        return dropped ? null : result;
    }

    private JsonNode? ToNode(JsValue value, string key, int depth, ref long budget, out bool dropped)
    {
        dropped = false;
        value = Normalize(value, key);
        switch (value.Type)
        {
            case Types.Null:
                Spend(ref budget, 4);
                return null;
            case Types.Boolean:
                Spend(ref budget, 5);
                return JsonValue.Create(value.AsBoolean());
            case Types.String:
                {
                    var s = value.AsString();
                    Spend(ref budget, Encoding.UTF8.GetByteCount(s) + 2);
                    return JsonValue.Create(s);
                }

            case Types.Number:
                {
                    double d = value.AsNumber();
                    Spend(ref budget, 8);
                    if (double.IsNaN(d) || double.IsInfinity(d))
                    {
                        return null;
                    }

                    return d == Math.Floor(d) && Math.Abs(d) < 9007199254740992d && !(d == 0 && double.IsNegative(d))
                        ? JsonValue.Create((long)d)
                        : JsonValue.Create(d);
                }

            case Types.Object:
                break;
            default:
                dropped = true;
                return null;
        }

        var obj = value.AsObject();
        if (obj.IsCallable())
        {
            dropped = true;
            return null;
        }

        if (depth >= limits.MaxResultDepth)
        {
            throw new LimitHitException(ScriptReasons.InvalidResult, "the result is nested deeper than MaxResultDepth");
        }

        if (!_path.Add(obj))
        {
            throw new LimitHitException(ScriptReasons.InvalidResult, "the result contains a cycle");
        }

        if ((budget & 255) == 0)
        {
            context().CheckTimeAndMemory();
        }

        JsonNode node;
        if (obj.IsArray())
        {
            uint len = obj is JsArray plainArray ? plainArray.Length : TypeConverter.ToUint32(obj.Get(LengthKey));
            context().CheckArrayLength(len);
            var array = new JsonArray();
            Spend(ref budget, 2);
            for (uint i = 0; i < len; i++)
            {
                // A plain array's own element is read directly; a hole or an exotic array goes through [[Get]].
                var element = obj is JsArray fast && fast.TryGetValue(i, out var own) ? own : obj.Get(Index(i));
                var item = ToNode(element, Index(i), depth + 1, ref budget, out var itemDropped);
                array.Add(itemDropped ? null : item);
                Spend(ref budget, 1);
            }

            node = array;
        }
        else
        {
            var jsonObject = new JsonObject();
            Spend(ref budget, 2);
            if (obj is JsObject && OwnDataProperties(obj) is { } properties)
            {
                // A plain object: one pass over its own properties, a data property's value read from its
                // descriptor (a getter still runs through [[Get]], under the call's limits).
                foreach (var (k, descriptor) in properties)
                {
                    var propertyValue = descriptor.IsDataDescriptor() ? descriptor.Value : obj.Get(k);
                    var item = ToNode(propertyValue, k, depth + 1, ref budget, out var itemDropped);
                    if (!itemDropped)
                    {
                        Spend(ref budget, Encoding.UTF8.GetByteCount(k) + 4);
                        jsonObject[k] = item;
                    }
                }
            }
            else
            {
                foreach (var k in EnumerableKeys(obj))
                {
                    var item = ToNode(obj.Get(k), k, depth + 1, ref budget, out var itemDropped);
                    if (!itemDropped)
                    {
                        Spend(ref budget, Encoding.UTF8.GetByteCount(k) + 4);
                        jsonObject[k] = item;
                    }
                }
            }

            node = jsonObject;
        }

        _path.Remove(obj);
        return node;
    }

    private static readonly JsString LengthKey = new("length");
    private static readonly JsString ToJsonKey = new("toJSON");

    /// <summary>The enumerable own string-keyed properties of an ordinary object, in order, taken before any value is
    /// read (a getter may change the object); <see langword="null"/> when an array-index key needs ECMAScript's
    /// ordering, which <see cref="EnumerableKeys"/> gives.</summary>
    private static List<(string Key, global::Jint.Runtime.Descriptors.PropertyDescriptor Descriptor)>? OwnDataProperties(ObjectInstance obj)
    {
        var list = new List<(string, global::Jint.Runtime.Descriptors.PropertyDescriptor)>();
        foreach (var (property, descriptor) in obj.GetOwnProperties())
        {
            if (!descriptor.Enumerable || !property.IsString())
            {
                continue;
            }

            var key = property.AsString();
            if (key.Length > 0 && key[0] is >= '0' and <= '9' && IsArrayIndex(key))
            {
                return null;
            }

            list.Add((key, descriptor));
        }

        return list;
    }

    private static void Spend(ref long budget, long bytes)
    {
        budget -= bytes;
        if (budget < 0)
        {
            throw new LimitHitException(ScriptReasons.InvalidResult, "the result is larger than MaxResultBytes");
        }
    }

    // ---- JSON.stringify -----------------------------------------------------------------------------------

    /// <summary>The bounded <c>JSON.stringify</c> (SCR-44a): nesting deeper than <c>MaxResultDepth</c> is
    /// <c>invalid-result</c>, output longer than <c>MaxStringLength</c> is <c>memory-limit</c>, a cycle throws
    /// <c>TypeError</c> as in ECMAScript.</summary>
    public JsValue Stringify(JsValue value, JsValue replacer, JsValue space)
    {
        var writer = new TextWriterState
        {
            MaxDepth = limits.MaxResultDepth,
            MaxChars = limits.MaxStringLength,
            Gap = GapOf(space),
        };
        if (replacer.IsCallable())
        {
            writer.ReplacerFunction = replacer;
        }
        else if (replacer.IsObject() && replacer.AsObject().IsArray())
        {
            var list = new List<string>();
            var arr = replacer.AsObject();
            uint len = TypeConverter.ToUint32(arr.Get("length"));
            context().CheckArrayLength(len);
            for (uint i = 0; i < len; i++)
            {
                var item = arr.Get(Index(i));
                string? name = item.Type switch
                {
                    Types.String => item.AsString(),
                    Types.Number => TypeConverter.ToString(item),
                    Types.Object when item.AsObject().GetType().Name is "StringInstance" or "NumberInstance" => TypeConverter.ToString(item),
                    _ => null,
                };
                if (name is not null && !list.Contains(name))
                {
                    list.Add(name);
                }
            }

            writer.PropertyList = list;
        }

        var holder = new JsObject(engine);
        holder.FastSetDataProperty(string.Empty, value);
        return Write(writer, holder, string.Empty, value, 0) ? new JsString(writer.Text.ToString()) : JsValue.Undefined;
    }

    /// <summary>Renders a console argument (SCR-51): JSON of depth ≤ 5, cycles and deeper levels as markers,
    /// cut to <paramref name="maxChars"/>.</summary>
    public string ToConsoleText(JsValue value, int maxChars)
    {
        if (value.IsUndefined())
        {
            return "undefined";
        }

        if (value.IsCallable())
        {
            return "[Function]";
        }

        var writer = new TextWriterState { MaxDepth = ScriptDefaults.ConsoleJsonDepth, MaxChars = maxChars, Lenient = true, Gap = string.Empty };
        var holder = new JsObject(engine);
        holder.FastSetDataProperty(string.Empty, value);
        try
        {
            Write(writer, holder, string.Empty, value, 0);
        }
        catch (OutputFullException)
        {
            // cut below
        }

        return writer.Text.ToString();
    }

    private static string GapOf(JsValue space)
    {
        if (space.IsObject())
        {
            space = Unbox(space);
        }

        if (space.IsNumber())
        {
            int n = (int)Math.Min(10, Math.Max(0, TypeConverter.ToInteger(space)));
            return new string(' ', n);
        }

        if (space.IsString())
        {
            var s = space.AsString();
            return s.Length <= 10 ? s : s[..10];
        }

        return string.Empty;
    }

    private bool Write(TextWriterState w, ObjectInstance holder, string key, JsValue value, int depth)
    {
        value = Normalize(value, key);
        if (w.ReplacerFunction is { } replacer)
        {
            value = replacer.Call(holder, [new JsString(key), value]);
            value = value.IsObject() ? Normalize2(value) : value;
        }

        switch (value.Type)
        {
            case Types.Null:
                w.Append("null");
                return true;
            case Types.Boolean:
                w.Append(value.AsBoolean() ? "true" : "false");
                return true;
            case Types.String:
                Quote(w, value.AsString());
                return true;
            case Types.Number:
                {
                    double d = value.AsNumber();
                    w.Append(double.IsNaN(d) || double.IsInfinity(d) ? "null" : TypeConverter.ToString(value));
                    return true;
                }

            case Types.Object:
                break;
            default:
                return false;
        }

        var obj = value.AsObject();
        if (obj.IsCallable())
        {
            return false;
        }

        if (depth >= w.MaxDepth)
        {
            if (w.Lenient)
            {
                w.Append(obj.IsArray() ? "[Array]" : "[Object]");
                return true;
            }

            throw new LimitHitException(ScriptReasons.InvalidResult, "JSON.stringify: nesting deeper than MaxResultDepth");
        }

        if (!w.Path.Add(obj))
        {
            if (w.Lenient)
            {
                w.Append("[Circular]");
                return true;
            }

            throw new JavaScriptException(engine.Intrinsics.TypeError, "Converting circular structure to JSON");
        }

        context().Check();
        string stepback = w.Indent;
        w.Indent += w.Gap;
        if (obj.IsArray())
        {
            uint len = TypeConverter.ToUint32(obj.Get("length"));
            context().CheckArrayLength(len);
            w.Append("[");
            for (uint i = 0; i < len; i++)
            {
                if (i > 0)
                {
                    w.Append(",");
                }

                NewLine(w);
                if (!Write(w, obj, Index(i), obj.Get(Index(i)), depth + 1))
                {
                    w.Append("null");
                }

                if ((i & 1023) == 1023)
                {
                    context().CheckTimeAndMemory();
                }
            }

            w.Indent = stepback;
            if (len > 0)
            {
                NewLine(w);
            }

            w.Append("]");
        }
        else
        {
            w.Append("{");
            bool any = false;
            IEnumerable<string> keys = (IEnumerable<string>?)w.PropertyList ?? EnumerableKeys(obj);
            foreach (var k in keys)
            {
                int mark = w.Text.Length;
                if (any)
                {
                    w.Append(",");
                }

                NewLine(w);
                Quote(w, k);
                w.Append(w.Gap.Length > 0 ? ": " : ":");
                if (Write(w, obj, k, obj.Get(k), depth + 1))
                {
                    any = true;
                }
                else
                {
                    w.Text.Length = mark;
                }
            }

            w.Indent = stepback;
            if (any)
            {
                NewLine(w);
            }

            w.Append("}");
        }

        w.Path.Remove(obj);
        return true;
    }

    private static JsValue Normalize2(JsValue value) => Unbox(value);

    private static void NewLine(TextWriterState w)
    {
        if (w.Gap.Length > 0)
        {
            w.Append("\n");
            w.Append(w.Indent);
        }
    }

    private static void Quote(TextWriterState w, string s)
    {
        w.Reserve(s.Length + 2);
        var sb = w.Text;
        sb.Append('"');
        int start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            string? escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ when char.IsHighSurrogate(c) && (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ when char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(s[i - 1])) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (escape is not null)
            {
                sb.Append(s, start, i - start).Append(escape);
                start = i + 1;
            }
        }

        sb.Append(s, start, s.Length - start).Append('"');
        w.CheckLength();
    }

    private sealed class Frame(ObjectInstance? obj, List<JsValue>? items)
    {
        public ObjectInstance? Object { get; } = obj;

        public List<JsValue>? Items { get; } = items;

        public string? Key { get; set; }
    }

    private sealed class OutputFullException : Exception
    {
    }

    private sealed class TextWriterState
    {
        public StringBuilder Text { get; } = new();

        public HashSet<ObjectInstance> Path { get; } = new(ReferenceEqualityComparer.Instance);

        public int MaxDepth { get; init; }

        public long MaxChars { get; init; }

        /// <summary>Gets a value indicating whether limits produce markers (console) instead of limit hits.</summary>
        public bool Lenient { get; init; }

        public string Gap { get; init; } = string.Empty;

        public string Indent { get; set; } = string.Empty;

        public JsValue? ReplacerFunction { get; set; }

        public List<string>? PropertyList { get; set; }

        public void Append(string s)
        {
            Reserve(s.Length);
            Text.Append(s);
        }

        public void Reserve(int more)
        {
            if (Text.Length + (long)more > MaxChars)
            {
                if (Lenient)
                {
                    throw new OutputFullException();
                }

                throw new LimitHitException(ScriptReasons.MemoryLimit, "JSON.stringify: output longer than MaxStringLength");
            }
        }

        public void CheckLength() => Reserve(0);
    }
}
