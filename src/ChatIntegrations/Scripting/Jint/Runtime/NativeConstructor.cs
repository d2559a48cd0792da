using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Object;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>A CLR-backed function that can also be called with <c>new</c>; used to replace built-in constructors
/// (<c>Array</c>, <c>Function</c>, <c>RegExp</c>, <c>Date</c>) with bounded or sandboxed versions.</summary>
internal sealed class NativeConstructor : FunctionInstance, IConstructor
{
    private readonly Func<JsValue, JsValue[], JsValue> _call;
    private readonly Func<JsValue[], ObjectInstance> _construct;

    public NativeConstructor(Engine engine, int length, Func<JsValue, JsValue[], JsValue> call, Func<JsValue[], ObjectInstance> construct)
        : base(engine, [], null, false)
    {
        _call = call;
        _construct = construct;
        Prototype = engine.Function.PrototypeObject;
        Extensible = true;
        FastAddProperty("length", new JsValue(length), false, false, false);
    }

    public override JsValue Call(JsValue thisObject, JsValue[] arguments) => _call(thisObject, arguments);

    public ObjectInstance Construct(JsValue[] arguments) => _construct(arguments);

    /// <summary>Makes this function stand in for <paramref name="original"/>: same <c>prototype</c>, the
    /// prototype's <c>constructor</c> pointing here, the static members copied, and the global binding replaced.</summary>
    public void Replace(FunctionInstance original, ObjectInstance prototype, string globalName)
    {
        FastAddProperty("prototype", prototype, false, false, false);
        prototype.FastSetProperty("constructor", new global::Jint.Runtime.Descriptors.PropertyDescriptor(this, true, false, true));
        foreach (var (key, descriptor) in original.GetOwnProperties().ToList())
        {
            if (key is "prototype" or "length" or "name" || HasOwnProperty(key))
            {
                continue;
            }

            FastSetProperty(key, descriptor);
        }

        Engine.Global.FastSetProperty(globalName, new global::Jint.Runtime.Descriptors.PropertyDescriptor(this, true, false, true));
    }
}
