using System.Reflection;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Object;
using Jint.Parser;
using Jint.Parser.Ast;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>Inline continuation of an async hook whose awaits need no queue turn (SCR-62, issue-4 benchmark).</summary>
/// <remarks>
/// <para><c>await v</c> always suspends: the continuation is a job. When that job would be the very next thing to run,
/// running it at once is the same program: nothing can run in between. Two places know that:</para>
/// <list type="bullet">
/// <item>The host calling a hook that is a lowered async function (its body is only checkpoints, plain <c>var</c>
/// declarations and <c>return __ci.async(function …)</c>): once the state machine yields at an await, the hook returns
/// its promise to the host, which drains the queue. If the queue is empty, the continuation is the first job.</item>
/// <item>A continuation job run by the host's drain loop: once the body yields again, the job ends and the loop takes
/// the next job. If nothing else is queued, that is this continuation.</item>
/// </list>
/// <para>Only awaits of values that are not thenables (primitives, and objects whose <c>then</c>, read once as
/// PromiseResolve reads it, is not callable) continue inline; everything else takes the queue.</para>
/// </remarks>
internal sealed partial class ScriptRealm
{
    private static readonly FieldInfo? FunctionDeclarationField =
        typeof(ScriptFunctionInstance).GetField("_functionDeclaration", BindingFlags.NonPublic | BindingFlags.Instance);

    private ICallable? _awaitThenable;
    private ObjectInstance? _inlineContext;
    private ObjectInstance? _handled;

    /// <summary>The native <c>GenContext.prototype.aw(v, n)</c> of a lowered <c>await v</c>: moves the machine to
    /// <c>n</c>, keeps <c>v</c> in <c>sent</c>
    /// and returns <see langword="true"/> when the body may continue at once. That is when the state machine is the one
    /// whose continuation would be the next job (<see cref="_inlineContext"/>: the hook's own start, or a continuation
    /// the drain loop is running), nothing else is queued, and <c>v</c> is not a thenable. A callable <c>then</c> is
    /// read here once, so the await is set up here too (the body then returns a marker the drivers recognise).</summary>
    private JsValue AwaitInline(JsValue self, JsValue value, JsValue next)
    {
        if (!self.IsObject())
        {
            throw new JavaScriptException(Engine.TypeError, "aw called on a non-object");
        }

        var g = self.AsObject();
        g.Put("n", next, true);
        if (!ReferenceEquals(g, _inlineContext) || _asyncJobs is null || !QueueIsEmpty(_asyncJobs))
        {
            g.Put("sent", value, true);
            return JsValue.False;
        }

        switch (ClassifyAwait(g, value))
        {
            case Awaited.Plain:
                g.Put("sent", value, true);
                return JsValue.True;
            case Awaited.Promise:
                g.Put("sent", value, true); // the driver's usual path (it reads `constructor` once)
                return JsValue.False;
            default:
                g.Put("sent", Handled, true);
                return JsValue.False;
        }
    }

    private enum Awaited
    {
        /// <summary>Not a thenable: one job resumes the body with the value.</summary>
        Plain,

        /// <summary>A prelude promise: the prelude's <c>awaitValue</c> takes it.</summary>
        Promise,

        /// <summary>A thenable, or a <c>then</c> getter that threw: already set up on the queue.</summary>
        Queued,
    }

    /// <summary>What <c>await value</c> in the state machine <paramref name="g"/> needs. <c>then</c> is read once, as
    /// PromiseResolve reads it; a thenable (or a throwing getter, which rejects the await one job later) is set up on
    /// the queue here, with the value of <c>then</c> already read.</summary>
    private Awaited ClassifyAwait(ObjectInstance g, JsValue value)
    {
        if (!value.IsObject())
        {
            return Awaited.Plain;
        }

        var o = value.AsObject();
        if (o.HasOwnProperty("__ciP"))
        {
            return Awaited.Promise;
        }

        JsValue then;
        try
        {
            then = o.Get("then");
        }
        catch (JavaScriptException ex)
        {
            Enqueue(_runAsync!, g, new JsValue(2), ex.Error);
            return Awaited.Queued;
        }

        if (then.AsCallable() is null)
        {
            return Awaited.Plain;
        }

        _awaitThenable!.Call(JsValue.Undefined, [g, value, then]);
        return Awaited.Queued;
    }

    /// <summary>The native <c>GenContext.prototype.ret(v)</c>: <c>rval = v, n = "end", done = true</c>; returns v.</summary>
    private JsValue ReturnFromBody(JsValue self, JsValue value)
    {
        if (!self.IsObject())
        {
            throw new JavaScriptException(Engine.TypeError, "ret called on a non-object");
        }

        var g = self.AsObject();
        g.Put("rval", value, true);
        g.Put("n", EndState, true);
        g.Put("done", JsValue.True, true);
        return value;
    }

    private static readonly JsValue EndState = new("end");

    private ObjectInstance Handled => _handled ??= new ObjectInstance(Engine) { Prototype = null, Extensible = false };

    private bool IsHandled(JsValue output) =>
        _handled is not null && output.IsObject() && ReferenceEquals(output.AsObject(), _handled);

    /// <summary>Gets or sets the state functions of the script this realm runs (<see cref="Compilation.ProgramInstrumenter"/>).</summary>
    public IReadOnlyList<Compilation.StateBody> StateBodies { get; set; } = [];

    /// <summary><c>__ci.asyncAt(i, …)</c>: the state function <c>i</c> of the script, closed over the scope of the
    /// code calling it (a native call runs in its caller's execution context), as the function expression it replaces
    /// would have been.</summary>
    private JsValue StateFunctionAt(JsValue index)
    {
        var i = index.IsNumber() ? index.AsNumber() : -1;
        if (i < 0 || i >= StateBodies.Count || i != Math.Floor(i))
        {
            throw new JavaScriptException(Engine.TypeError, "unknown async function");
        }

        var body = StateBodies[(int)i];
        return new StateFunction(Engine, body.Function, body.Parameters, Engine.ExecutionContext.LexicalEnvironment);
    }

    private object? _directShapeFunction;
    private bool _directShape;
    private bool _directHookStart;

    /// <summary>Marks the next <c>__ci.async</c> start as the hook's own, when <paramref name="hook"/> is a lowered
    /// async function; <see cref="EndHookCall"/> clears the mark whatever happened.</summary>
    public void BeginHookCall(ICallable hook)
    {
        _directHookStart = IsDirectAsync(hook);
    }

    /// <summary>Clears the mark of <see cref="BeginHookCall"/>.</summary>
    public void EndHookCall() => _directHookStart = false;

    private bool TakeDirectHookStart()
    {
        var direct = _directHookStart;
        _directHookStart = false;
        return direct;
    }

    /// <summary>Returns whether no job is queued after the one running (or at all, outside a drain).</summary>
    private bool QueueIsEmpty(global::Jint.Native.Object.ObjectInstance jobs) =>
        TypeConverter.ToNumber(jobs.Get("length")) <= _jobHead;

    private bool IsDirectAsync(object function)
    {
        if (ReferenceEquals(function, _directShapeFunction))
        {
            return _directShape;
        }

        var shape = function is ScriptFunctionInstance
            && FunctionDeclarationField?.GetValue(function) is IFunctionDeclaration { Body: BlockStatement body }
            && HasDirectAsyncShape(body);
        _directShapeFunction = function;
        _directShape = shape;
        return shape;
    }

    /// <summary>The lowered form of an async function: <c>__ci_cp();</c> statements, <c>var</c> declarations whose
    /// initialisers are absent, <c>this</c> or <c>arguments</c> (no code runs), then
    /// <c>return __ci.async(function (…) { … }[, [[literals…]…]]);</c> (or <c>__ci.asyncAt(i, …)</c>) as the last statement.</summary>
    internal static bool HasDirectAsyncShape(BlockStatement body)
    {
        var statements = body.Body as IList<Statement> ?? body.Body.ToList();
        if (statements.Count == 0 || statements[^1] is not ReturnStatement { Argument: CallExpression start })
        {
            return false;
        }

        for (var i = 0; i < statements.Count - 1; i++)
        {
            switch (statements[i])
            {
                case ExpressionStatement { Expression: CallExpression { Callee: Identifier { Name: "__ci_cp" } } cp } when cp.Arguments.Count == 0:
                    break;
                case VariableDeclaration declaration when declaration.Declarations.All(d => d.Init is null or ThisExpression or Identifier { Name: "arguments" }):
                    break;
                default:
                    return false;
            }
        }

        if (start.Callee is not MemberExpression { Computed: false, Object: Identifier { Name: "__ci" }, Property: Identifier { Name: "async" or Compilation.ProgramInstrumenter.AsyncStartName } })
        {
            return false;
        }

        return start.Arguments.Count switch
        {
            1 => start.Arguments[0] is FunctionExpression or Literal,
            2 => start.Arguments[0] is FunctionExpression or Literal && start.Arguments[1] is ArrayExpression table
                && table.Elements.All(e => e is ArrayExpression row && row.Elements.All(x => x is Literal)),
            _ => false,
        };
    }
}
