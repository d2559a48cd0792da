using ChatIntegrations.JavaScript.Parsing;
using static ChatIntegrations.JavaScript.Lowering.Build;

namespace ChatIntegrations.JavaScript.Lowering;

internal sealed partial class Lowerer
{
    /// <summary>
    /// class X extends B { … } →
    /// (function (_super) { __ci.inherits(X, _super); function X() {…} __ci.method(X.prototype, "m", function () {…}); … return X; })(B)
    /// Every member stays on its own source line: the constructor is a hoisted declaration wherever it appears, and
    /// field initializers and static blocks become hoisted functions at their lines, called from the constructor
    /// (instance) or at the end (static), in source order. Class bodies stay sloppy (SCR-63).
    /// </summary>
    private Expression LowerClass(ClassNode c, string? nameHint)
    {
        var superExpr = c.SuperClass is null ? null : LowerExpression(c.SuperClass);
        var name = c.Id?.Name ?? (nameHint is not null && IsIdentifierName(nameHint) ? nameHint : Fresh("class"));
        var superName = superExpr is null ? null : Fresh("super");

        var iife = new FunctionNode { IsArrow = true }.At<FunctionNode>(c);
        var ctx = new FunctionContext(_fn) { IsArrow = true };
        var savedFn = _fn;
        _fn = ctx;
        PushScope(nested: false);
        _scope.Names[name] = name;

        var privateScope = new PrivateScope(_private);
        foreach (var m in c.Members)
        {
            if (m.Key is PrivateName pn && !privateScope.Keys.ContainsKey(pn.Name))
            {
                privateScope.Keys[pn.Name] = "#" + pn.Name + "@" + (++_privateCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        _private = privateScope;

        var instanceSuper = superName is null ? null : new SuperInfo(superName, isStatic: false);
        var staticSuper = superName is null ? null : new SuperInfo(superName, isStatic: true);
        var body = new List<Statement>();
        if (superName is not null)
        {
            body.Add(Stmt(CallHelper("inherits", Raw(name), Raw(superName))).At<ExpressionStatement>(c));
        }

        // Names for the field initializers, known before the constructor is lowered.
        var initNames = new Dictionary<ClassMember, string>();
        var instanceInits = new List<string>();
        var staticInits = new List<string>();
        foreach (var m in c.Members)
        {
            if (m.Kind is ClassMemberKind.Field or ClassMemberKind.StaticBlock)
            {
                var n = Fresh(m.Static ? "static" : "init");
                initNames[m] = n;
                (m.Static ? staticInits : instanceInits).Add(n);
            }
        }

        var ctor = c.Members.FirstOrDefault(m => m.Kind == ClassMemberKind.Constructor);
        if (ctor is null)
        {
            body.Add(new FunctionDeclaration(SynthesizeConstructor(c, name, superName, instanceInits)).At<FunctionDeclaration>(c));
        }

        foreach (var m in c.Members)
        {
            switch (m.Kind)
            {
                case ClassMemberKind.Constructor:
                    {
                        var ctorFn = new FunctionNode
                        {
                            Id = Id(name),
                            Params = m.Function!.Params,
                            Body = m.Function.Body,
                            EndLine = m.Function.EndLine,
                        }.At<FunctionNode>(m.Function);
                        var info = superName is null ? null : new ConstructorInfo(superName, instanceInits);
                        var lowered = LowerFunction(
                            ctorFn,
                            super: instanceSuper,
                            ctor: info,
                            className: name,
                            preBody: superName is null ? () => InitCalls(instanceInits) : null);
                        body.Add(new FunctionDeclaration(lowered).At<FunctionDeclaration>(m));
                        break;
                    }

                case ClassMemberKind.Method:
                case ClassMemberKind.Get:
                case ClassMemberKind.Set:
                    {
                        var key = MemberKey(m);
                        var target = m.Static ? (Expression)Raw(name) : Member(Raw(name), "prototype");
                        var fn = LowerFunction(m.Function!, super: m.Static ? staticSuper : instanceSuper);
                        var helper = m.Kind switch
                        {
                            ClassMemberKind.Get => CallHelper("accessor", target, key, fn, Void0()),
                            ClassMemberKind.Set => CallHelper("accessor", target, key, Void0(), fn),
                            _ => CallHelper("method", target, key, fn),
                        };
                        body.Add(Stmt(helper.At<CallExpression>(m)).At<ExpressionStatement>(m));
                        break;
                    }

                case ClassMemberKind.Field:
                    {
                        // Computed keys are evaluated once, at class definition time, in member order.
                        Expression key = MemberKey(m);
                        if (m.Computed)
                        {
                            var k = NewTemp("key");
                            body.Add(Stmt(Assign(Raw(k), CallHelper("key", key))).At<ExpressionStatement>(m));
                            key = Raw(k);
                        }

                        var helperName = m.Key is PrivateName ? "priv" : "field";
                        var value = m.FieldValue ?? Void0();
                        var init = new FunctionNode { Id = Raw(initNames[m]), IsMethod = true }.At<FunctionNode>(m);
                        init.Body.Add(Stmt(Call(Helper(helperName), new ThisExpression(), key, value)).At<ExpressionStatement>(m.FieldValue ?? (Node)m));
                        var lowered = LowerFunction(init, super: m.Static ? staticSuper : instanceSuper);
                        body.Add(new FunctionDeclaration(lowered).At<FunctionDeclaration>(m));
                        break;
                    }

                case ClassMemberKind.StaticBlock:
                    {
                        var init = new FunctionNode { Id = Raw(initNames[m]), IsMethod = true, Body = m.StaticBlock! }.At<FunctionNode>(m);
                        var lowered = LowerFunction(init, super: staticSuper);
                        body.Add(new FunctionDeclaration(lowered).At<FunctionDeclaration>(m));
                        break;
                    }
            }
        }

        foreach (var s in staticInits)
        {
            body.Add(Stmt(Call(Member(Raw(s), "call"), Raw(name))));
        }

        body.Add(new ReturnStatement(Raw(name)));
        _private = privateScope.Parent;
        PopScope();
        _fn = savedFn;

        InsertPrologue(body, ctx, checkpoint: true);
        iife.IsArrow = false;
        iife.Body = body;
        iife.EndLine = c.EndLine;
        if (superName is not null)
        {
            iife.Params.Add(Raw(superName));
        }

        // The IIFE runs in the enclosing function, so `this` in computed keys is the outer `this`; temps of the
        // class body were declared inside the IIFE above.
        return new CallExpression(new ParenthesizedExpression(iife), superExpr is null ? [] : [superExpr]).At<CallExpression>(c);
    }

    private List<Statement> InitCalls(List<string> inits) =>
        inits.Select(n => (Statement)Stmt(Call(Member(Raw(n), "call"), new ThisExpression()))).ToList();

    private FunctionNode SynthesizeConstructor(ClassNode c, string name, string? superName, List<string> instanceInits)
    {
        var ctorFn = new FunctionNode { Id = Id(name), EndLine = c.Line }.At<FunctionNode>(c);
        if (superName is null)
        {
            return LowerFunction(ctorFn, className: name, preBody: () => InitCalls(instanceInits));
        }

        // constructor(...args) { super(...args); }
        return LowerFunction(ctorFn, className: name, preBody: () =>
        {
            var list = new List<Statement> { Stmt(CallHelper("sup", Raw(superName), new ThisExpression(), Raw("arguments"))) };
            list.AddRange(InitCalls(instanceInits));
            return list;
        });
    }

    private Expression MemberKey(ClassMember m) => m.Key switch
    {
        PrivateName pn => Str(PrivateKey(pn)),
        _ when m.Computed => LowerExpression(m.Key!),
        _ => Str(PropertyKeyString(m.Key!)),
    };
}
