using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Parser.Ast;
using Jint.Runtime;
using Jint.Runtime.Environments;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>The state function of one async function call, made by <c>__ci.asyncAt</c> from the function's AST and the
/// caller's scope instead of by evaluating a function expression: the engine would build a full function object
/// (with a <c>prototype</c> object, <c>length</c> and a scope of its own) on every call of the async function, and
/// nothing ever looks at those.</summary>
/// <remarks>Calls run exactly as a non-strict script function's (ES5.1 10.4.3 and 13.2.1): a new declarative
/// environment under the captured scope, declaration binding instantiation, the body, and its completion. Only the
/// prelude and the host see the object (the lowered body never refers to its own function).</remarks>
internal sealed class StateFunction : FunctionInstance
{
    private readonly FunctionExpression _function;

    public StateFunction(Engine engine, FunctionExpression function, string[] parameters, LexicalEnvironment scope)
        : base(engine, parameters, scope, strict: false)
    {
        _function = function;
        Prototype = engine.Function.PrototypeObject;
        Extensible = true;
    }

    public override JsValue Call(JsValue thisObject, JsValue[] arguments)
    {
        using (new StrictModeScope(false, true))
        {
            JsValue thisBinding = thisObject.IsObject()
                ? thisObject
                : thisObject.IsUndefined() || thisObject.IsNull() ? Engine.Global : TypeConverter.ToObject(Engine, thisObject);
            var local = LexicalEnvironment.NewDeclarativeEnvironment(Engine, Scope);
            Engine.EnterExecutionContext(local, local, thisBinding);
            try
            {
                Engine.DeclarationBindingInstantiation(DeclarationBindingType.FunctionCode, _function.FunctionDeclarations, _function.VariableDeclarations, this, arguments);
                var completion = Engine.ExecuteStatement(_function.Body);
                if (completion.Type == Completion.Throw)
                {
                    throw new JavaScriptException(completion.GetValueOrDefault()) { Location = completion.Location };
                }

                if (completion.Type == Completion.Return)
                {
                    return completion.GetValueOrDefault();
                }
            }
            finally
            {
                Engine.LeaveExecutionContext();
            }

            return JsValue.Undefined;
        }
    }
}
