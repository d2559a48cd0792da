using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Descriptors;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>The state machine of one async function call (the prelude's GenContext: <c>body, n, p, sent, done, rval,
/// t, ap</c>) with its slots in fields: every step reads and writes them several times, and a field costs no property
/// descriptor or dictionary entry. The try table <c>t</c> is built on first use (only a throw or a finally needs it).</summary>
/// <remarks>Only the prelude and the host see this object (the lowered body aliases its own <c>this</c>), and they
/// use it as a plain object with these data properties; any other property is an ordinary one.</remarks>
internal sealed class AsyncContextInstance : ObjectInstance
{
    private readonly Func<ObjectInstance> _newTries;
    private JsValue _body;
    private JsValue _n = Zero;
    private JsValue _p = Zero;
    private JsValue _sent = JsValue.Undefined;
    private JsValue _done = JsValue.False;
    private JsValue _rval = JsValue.Undefined;
    private JsValue? _t;
    private JsValue? _ap;

    private static readonly JsValue Zero = new(0);

    public AsyncContextInstance(Engine engine, ObjectInstance prototype, JsValue body, Func<ObjectInstance> newTries)
        : base(engine)
    {
        Prototype = prototype;
        Extensible = true;
        _body = body;
        _newTries = newTries;
    }

    public JsValue Body => _body;

    public bool IsDone => _done.IsBoolean() && _done.AsBoolean();

    public JsValue Sent { get => _sent; set => _sent = value; }

    public JsValue Next { set => _n = value; }

    public JsValue Result { set => _rval = value; }

    public void MarkDone() => _done = JsValue.True;

    /// <summary>Gets the function's promise, or <see langword="null"/> before it is made.</summary>
    public JsValue? Promise { get => _ap; set => _ap = value; }

    /// <summary>Gets the try table, building it (root entry first) on first use.</summary>
    public ObjectInstance Tries => (_t ??= _newTries()).AsObject();

    public override JsValue Get(string propertyName) => propertyName switch
    {
        "body" => _body,
        "n" => _n,
        "p" => _p,
        "sent" => _sent,
        "done" => _done,
        "rval" => _rval,
        "t" => Tries,
        "ap" when _ap is not null => _ap,
        _ => base.Get(propertyName),
    };

    public override void Put(string propertyName, JsValue value, bool throwOnError)
    {
        switch (propertyName)
        {
            case "body": _body = value; break;
            case "n": _n = value; break;
            case "p": _p = value; break;
            case "sent": _sent = value; break;
            case "done": _done = value; break;
            case "rval": _rval = value; break;
            case "t": _t = value; break;
            case "ap": _ap = value; break;
            default: base.Put(propertyName, value, throwOnError); break;
        }
    }

    public override PropertyDescriptor GetOwnProperty(string propertyName)
    {
        if (IsSlot(propertyName, out var value))
        {
            return new PropertyDescriptor(value, true, true, true);
        }

        return base.GetOwnProperty(propertyName);
    }

    public override bool HasOwnProperty(string propertyName) => IsSlot(propertyName, out _) || base.HasOwnProperty(propertyName);

    public override bool DefineOwnProperty(string propertyName, PropertyDescriptor desc, bool throwOnError)
    {
        if (IsSlot(propertyName, out _) || propertyName == "ap")
        {
            if (desc.Value is { } value)
            {
                Put(propertyName, value, throwOnError);
            }

            return true;
        }

        return base.DefineOwnProperty(propertyName, desc, throwOnError);
    }

    public override bool Delete(string propertyName, bool throwOnError) =>
        !IsSlot(propertyName, out _) && base.Delete(propertyName, throwOnError);

    public override IEnumerable<KeyValuePair<string, PropertyDescriptor>> GetOwnProperties()
    {
        foreach (var name in SlotNames)
        {
            if (IsSlot(name, out var value))
            {
                yield return new KeyValuePair<string, PropertyDescriptor>(name, new PropertyDescriptor(value, true, true, true));
            }
        }

        foreach (var pair in base.GetOwnProperties())
        {
            yield return pair;
        }
    }

    private static readonly string[] SlotNames = ["body", "n", "p", "sent", "done", "rval", "t", "ap"];

    private bool IsSlot(string name, out JsValue value)
    {
        switch (name)
        {
            case "body": value = _body; return true;
            case "n": value = _n; return true;
            case "p": value = _p; return true;
            case "sent": value = _sent; return true;
            case "done": value = _done; return true;
            case "rval": value = _rval; return true;
            case "t": value = Tries; return true;
            case "ap" when _ap is not null: value = _ap; return true;
            default: value = JsValue.Undefined; return false;
        }
    }
}
