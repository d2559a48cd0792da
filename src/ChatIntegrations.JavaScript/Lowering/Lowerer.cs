using ChatIntegrations.JavaScript.Parsing;
using static ChatIntegrations.JavaScript.Lowering.Build;

namespace ChatIntegrations.JavaScript.Lowering;

/// <summary>
/// Lowers an ES2022 AST to an ES5.1 AST in one recursive pass. Block-scoped bindings in nested blocks get fresh
/// names (so <c>let</c> can become <c>var</c>); loops whose per-iteration bindings are captured by closures get their
/// body wrapped in a function (see <c>Lowerer.Loops.cs</c>). Synthesized nodes keep line 0 or the line of the
/// construct they replace, so the printer keeps every statement on its source line (SCR-31).
/// </summary>
internal sealed partial class Lowerer
{
    private readonly HashSet<string> _names;
    private readonly bool _checkpoints;
    private Scope _scope;
    private FunctionContext _fn;
    private PrivateScope? _private;
    private int _privateCounter;
    private int _templateSites;

    public Lowerer(HashSet<string> names, bool checkpoints)
    {
        _names = names;
        _checkpoints = checkpoints;
        _scope = new Scope(null, nested: false);
        _fn = new FunctionContext(null) { IsProgram = true };
    }

    private sealed class Scope(Scope? parent, bool nested)
    {
        public Scope? Parent { get; } = parent;

        /// <summary>A block inside a function or the script: its lexical bindings are renamed.</summary>
        public bool Nested { get; } = nested;

        public Dictionary<string, string> Names { get; } = new(StringComparer.Ordinal);

        /// <summary>Parameters, vars, the catch parameter and lexical names declared in this scope (early errors).</summary>
        public HashSet<string> Declared { get; } = new(StringComparer.Ordinal);

        /// <summary>Source names bound by <c>const</c> in this scope.</summary>
        public HashSet<string> Constants { get; } = new(StringComparer.Ordinal);
    }

    private sealed class SuperInfo(string superName, bool isStatic)
    {
        public string SuperName { get; } = superName;

        public bool IsStatic { get; } = isStatic;
    }

    private sealed class ConstructorInfo(string superName, List<string> fieldInitializers)
    {
        public string SuperName { get; } = superName;

        public List<string> FieldInitializers { get; } = fieldInitializers;
    }

    private sealed class FunctionContext(FunctionContext? parent)
    {
        public FunctionContext? Parent { get; } = parent;

        /// <summary>Arrow functions, loop-body wrappers and class IIFEs see the enclosing <c>this</c>/<c>arguments</c>.</summary>
        public bool IsArrow { get; init; }

        public bool IsProgram { get; init; }

        public List<string> Temps { get; } = [];

        public string? ThisAlias { get; set; }

        public string? ArgumentsAlias { get; set; }

        public SuperInfo? Super { get; init; }

        public ConstructorInfo? Constructor { get; init; }

        /// <summary>The class constructor's name, for <c>new.target</c>.</summary>
        public string? ClassName { get; init; }

        public bool IsMethod { get; init; }

        /// <summary>A plain function's name for <c>new.target</c>, assigned on demand.</summary>
        public string? FunctionName { get; set; }

        public bool NeedsName { get; set; }
    }

    private sealed class PrivateScope(PrivateScope? parent)
    {
        public PrivateScope? Parent { get; } = parent;

        public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);
    }

    public Program LowerProgram(Program program)
    {
        var body = LowerStatementList(program.Body);
        var result = new Program { Line = 1, Column = 1 };
        result.Body.AddRange(body);
        InsertPrologue(result.Body, _fn, checkpoint: false);
        return result;
    }

    // ---------------------------------------------------------------- names and scopes

    private string Fresh(string hint)
    {
        var baseName = "_" + hint.TrimStart('_');
        var name = baseName;
        for (var i = 2; _names.Contains(name); i++)
        {
            name = baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _names.Add(name);
        return name;
    }

    private string NewTemp(string hint = "ref")
    {
        var name = Fresh(hint);
        _fn.Temps.Add(name);
        return name;
    }

    private string Resolve(string name)
    {
        for (var s = _scope; s is not null; s = s.Parent)
        {
            if (s.Names.TryGetValue(name, out var mapped))
            {
                return mapped;
            }
        }

        return name;
    }

    /// <summary>True when <paramref name="name"/> resolves to a <c>const</c> binding.</summary>
    private bool IsConstant(string name)
    {
        for (var s = _scope; s is not null; s = s.Parent)
        {
            if (s.Names.ContainsKey(name))
            {
                return s.Constants.Contains(name);
            }
        }

        return false;
    }

    private void PushScope(bool nested) => _scope = new Scope(_scope, nested);

    private void PopScope() => _scope = _scope.Parent!;

    /// <summary>Declares the lexical bindings (let, const, class) of a statement list in the current scope.</summary>
    private void DeclareLexical(IEnumerable<Statement> statements)
    {
        foreach (var s in statements)
        {
            switch (s)
            {
                case VariableDeclaration { Kind: not "var" } v:
                    foreach (var d in v.Declarations)
                    {
                        foreach (var id in BoundIdentifiers(d.Id))
                        {
                            if (!id.NoResolve)
                            {
                                DeclareOnce(id);
                                _scope.Names[id.Name] = _scope.Nested ? Fresh(id.Name) : id.Name;
                                if (v.Kind == "const")
                                {
                                    _scope.Constants.Add(id.Name);
                                }
                                else
                                {
                                    _scope.Constants.Remove(id.Name);
                                }
                            }
                        }
                    }

                    break;
                case ClassDeclaration { Class.Id: { } classId }:
                    DeclareOnce(classId);
                    _scope.Names[classId.Name] = _scope.Nested ? Fresh(classId.Name) : classId.Name;
                    break;
            }
        }
    }

    private void DeclareOnce(Identifier id)
    {
        if (!_scope.Declared.Add(id.Name))
        {
            throw Error(id, $"Identifier '{id.Name}' has already been declared");
        }
    }

    private static IEnumerable<Identifier> BoundIdentifiers(Expression? pattern)
    {
        switch (pattern)
        {
            case Identifier id:
                yield return id;
                break;
            case AssignmentPattern ap:
                foreach (var x in BoundIdentifiers(ap.Left))
                {
                    yield return x;
                }

                break;
            case RestElement r:
                foreach (var x in BoundIdentifiers(r.Argument))
                {
                    yield return x;
                }

                break;
            case ArrayPattern arr:
                foreach (var el in arr.Elements)
                {
                    foreach (var x in BoundIdentifiers(el))
                    {
                        yield return x;
                    }
                }

                break;
            case ObjectPattern obj:
                foreach (var p in obj.Properties)
                {
                    var target = p is Property prop ? prop.Value : ((RestElement)p).Argument;
                    foreach (var x in BoundIdentifiers(target))
                    {
                        yield return x;
                    }
                }

                break;
        }
    }

    /// <summary>Names declared with <c>var</c> or as functions anywhere in a body (not inside nested functions).</summary>
    private static void CollectVarNames(Node node, HashSet<string> into)
    {
        AstWalker.Walk(node, n =>
        {
            switch (n)
            {
                case VariableDeclaration { Kind: "var" } v:
                    foreach (var d in v.Declarations)
                    {
                        foreach (var id in BoundIdentifiers(d.Id))
                        {
                            into.Add(id.Name);
                        }
                    }

                    return false;
                case FunctionDeclaration fd:
                    if (fd.Function.Id is not null)
                    {
                        into.Add(fd.Function.Id.Name);
                    }

                    return false;
                case Expression:
                    return false;
                default:
                    return true;
            }
        });
    }

    // ---------------------------------------------------------------- statements

    /// <summary>Lowers a statement list in the current scope, after declaring its lexical bindings (they are visible to closures declared earlier).</summary>
    private List<Statement> LowerStatementList(List<Statement> statements)
    {
        DeclareLexical(statements);
        var result = new List<Statement>(statements.Count);
        foreach (var s in statements)
        {
            result.Add(LowerStatement(s));
        }

        return result;
    }

    private BlockStatement LowerBlock(BlockStatement block, Action? declare = null)
    {
        PushScope(nested: true);
        declare?.Invoke();
        var body = LowerStatementList(block.Body);
        PopScope();
        return new BlockStatement { Body = body, EndLine = block.EndLine }.At<BlockStatement>(block);
    }

    private Statement LowerStatement(Statement s)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (s)
        {
            case VariableDeclaration v:
                return LowerVariableDeclaration(v);
            case FunctionDeclaration fd:
                {
                    var fn = LowerFunction(fd.Function);
                    return new FunctionDeclaration(fn).At<FunctionDeclaration>(fd);
                }

            case ClassDeclaration cd:
                {
                    var name = Resolve(cd.Class.Id!.Name);
                    var decl = new VariableDeclaration("let").At<VariableDeclaration>(cd);
                    decl.Declarations.Add(new VariableDeclarator(Id(name).At<Identifier>(cd.Class.Id), LowerClass(cd.Class, null)).At<VariableDeclarator>(cd));
                    return decl;
                }

            case ExpressionStatement es:
                if (es.Directive is not null)
                {
                    return es;
                }

                return new ExpressionStatement(LowerExpression(es.Expression)).At<ExpressionStatement>(es);
            case BlockStatement b:
                return LowerBlock(b);
            case IfStatement i:
                return new IfStatement(LowerExpression(i.Test), LowerSubStatement(i.Consequent), i.Alternate is null ? null : LowerSubStatement(i.Alternate)).At<IfStatement>(i);
            case ForStatement or ForInStatement or WhileStatement or DoWhileStatement:
                return LowerLoop(s, []);
            case LabeledStatement l:
                {
                    var chain = new List<LabeledStatement>();
                    Statement inner = l;
                    while (inner is LabeledStatement ls)
                    {
                        chain.Add(ls);
                        inner = ls.Body;
                    }

                    if (inner is ForStatement or ForInStatement or WhileStatement or DoWhileStatement)
                    {
                        return LowerLoop(inner, chain);
                    }

                    return ApplyLabels(LowerSubStatement(inner), chain);
                }

            case ReturnStatement r:
                return new ReturnStatement(r.Argument is null ? null : LowerExpression(r.Argument)).At<ReturnStatement>(r);
            case ThrowStatement t:
                return new ThrowStatement(LowerExpression(t.Argument)).At<ThrowStatement>(t);
            case TryStatement t:
                return LowerTry(t);
            case SwitchStatement sw:
                {
                    var result = new SwitchStatement(LowerExpression(sw.Discriminant)).At<SwitchStatement>(sw);
                    PushScope(nested: true);
                    DeclareLexical(sw.Cases.SelectMany(c => c.Consequent));
                    foreach (var c in sw.Cases)
                    {
                        var lc = new SwitchCase(c.Test is null ? null : LowerExpression(c.Test)).At<SwitchCase>(c);
                        foreach (var st in c.Consequent)
                        {
                            lc.Consequent.Add(LowerStatement(st));
                        }

                        result.Cases.Add(lc);
                    }

                    PopScope();
                    return result;
                }

            default:
                return s; // empty, debugger, break, continue
        }
    }

    /// <summary>The body of an if/loop/label: a declaration there gets its own scope.</summary>
    private Statement LowerSubStatement(Statement s)
    {
        if (s is VariableDeclaration { Kind: not "var" } or ClassDeclaration)
        {
            var block = new BlockStatement().At<BlockStatement>(s);
            block.Body.Add(s);
            return LowerBlock(block);
        }

        return LowerStatement(s);
    }

    private Statement LowerTry(TryStatement t)
    {
        var result = new TryStatement { Block = LowerBlock(t.Block) }.At<TryStatement>(t);
        if (t.Handler is not null)
        {
            if (t.Param is Identifier pid)
            {
                result.Param = Id(pid.Name).At<Identifier>(pid);
                result.Handler = LowerBlock(t.Handler, () =>
                {
                    _scope.Names[pid.Name] = pid.Name;
                    _scope.Declared.Add(pid.Name);
                });
            }
            else
            {
                var name = Fresh(t.Param is null ? "unused" : "error");
                result.Param = Raw(name).At<Identifier>(t.Param ?? (Node)t.Handler);
                var handler = t.Handler;
                if (t.Param is not null)
                {
                    // catch ({ message }) → catch (_error) { let { message } = _error; … }
                    var decl = new VariableDeclaration("let").At<VariableDeclaration>(t.Param);
                    decl.Declarations.Add(new VariableDeclarator(t.Param, Raw(name)).At<VariableDeclarator>(t.Param));
                    handler = new BlockStatement { EndLine = handler.EndLine }.At<BlockStatement>(handler);
                    handler.Body.Add(decl);
                    handler.Body.AddRange(t.Handler.Body);
                }

                result.Handler = LowerBlock(handler);
            }
        }

        if (t.Finalizer is not null)
        {
            result.Finalizer = LowerBlock(t.Finalizer);
        }

        return result;
    }

    private Statement LowerVariableDeclaration(VariableDeclaration v)
    {
        var result = new VariableDeclaration(v.Kind).At<VariableDeclaration>(v);
        foreach (var d in v.Declarations)
        {
            if (d.Id is Identifier id)
            {
                var name = id.NoResolve ? id.Name : Resolve(id.Name);
                Expression? init = d.Init is null ? null : LowerExpression(d.Init, id.Name);

                // A `let` without initializer inside a loop body must start undefined on every iteration.
                if (init is null && v.Kind == "let" && _scope.Nested)
                {
                    init = Void0();
                }

                result.Declarations.Add(new VariableDeclarator(new Identifier(name) { NoResolve = id.NoResolve }.At<Identifier>(id), init).At<VariableDeclarator>(d));
            }
            else
            {
                var source = LowerExpression(d.Init!);
                var declarators = result.Declarations;
                Destructure(d.Id, source, isDeclaration: true, (target, value) =>
                    declarators.Add(new VariableDeclarator(target, value).At<VariableDeclarator>(d)));
            }
        }

        if (result.Declarations.Count == 0)
        {
            return new EmptyStatement().At<EmptyStatement>(v);
        }

        return result;
    }

    // ---------------------------------------------------------------- functions

    private void InsertPrologue(List<Statement> body, FunctionContext ctx, bool checkpoint)
    {
        var at = 0;
        while (at < body.Count && body[at] is ExpressionStatement { Directive: not null })
        {
            at++;
        }

        var inserted = new List<Statement>();
        if (checkpoint && _checkpoints)
        {
            inserted.Add(Checkpoint());
        }

        if (ctx.ClassName is not null)
        {
            // A class constructor called without `new` throws, as in ES2015.
            inserted.Add(Stmt(CallHelper("classCheck", new ThisExpression(), Raw(ctx.ClassName))));
        }

        var decl = new VariableDeclaration("var");
        if (ctx.ThisAlias is not null)
        {
            decl.Declarations.Add(new VariableDeclarator(Raw(ctx.ThisAlias), new ThisExpression()));
        }

        if (ctx.ArgumentsAlias is not null)
        {
            decl.Declarations.Add(new VariableDeclarator(Raw(ctx.ArgumentsAlias), Raw("arguments")));
        }

        foreach (var t in ctx.Temps.Distinct(StringComparer.Ordinal))
        {
            decl.Declarations.Add(new VariableDeclarator(Raw(t), null));
        }

        if (decl.Declarations.Count > 0)
        {
            inserted.Add(decl);
        }

        body.InsertRange(at, inserted);
    }

    private FunctionNode LowerFunction(
        FunctionNode fn,
        SuperInfo? super = null,
        ConstructorInfo? ctor = null,
        string? className = null,
        Func<List<Statement>>? preBody = null)
    {
        var ctx = new FunctionContext(_fn)
        {
            IsArrow = fn.IsArrow,
            Super = super,
            Constructor = ctor,
            ClassName = className,
            IsMethod = fn.IsMethod,
            FunctionName = fn.Id?.Name,
        };
        var savedFn = _fn;
        var savedScope = _scope;
        _fn = ctx;
        _scope = new Scope(_scope, nested: false);
        if (fn.Id is not null)
        {
            _scope.Names[fn.Id.Name] = fn.Id.Name;
        }

        var parameters = new List<Expression>();
        var prologue = new List<Statement>();
        for (var i = 0; i < fn.Params.Count; i++)
        {
            var p = fn.Params[i];
            switch (p)
            {
                case Identifier id:
                    parameters.Add(Id(id.Name).At<Identifier>(id));
                    _scope.Names[id.Name] = id.Name;
                    _scope.Declared.Add(id.Name);
                    break;
                case AssignmentPattern { Left: Identifier id } ap:
                    // function f(a = 1) → function f(a) { if (a === void 0) a = 1; … }
                    parameters.Add(Id(id.Name).At<Identifier>(id));
                    _scope.Names[id.Name] = id.Name;
                    _scope.Declared.Add(id.Name);
                    prologue.Add(new IfStatement(
                        Bin("===", Id(id.Name), Void0()),
                        Stmt(Assign(Id(id.Name), ap.Right)).At<ExpressionStatement>(ap.Right),
                        null).At<IfStatement>(ap));
                    break;
                case RestElement rest:
                    {
                        var restValue = CallHelper("rest", Raw("arguments"), Num(i));
                        DeclareParameterNames(rest.Argument);
                        var decl = new VariableDeclaration("var").At<VariableDeclaration>(rest);
                        decl.Declarations.Add(new VariableDeclarator(rest.Argument, restValue).At<VariableDeclarator>(rest));
                        prologue.Add(decl);
                        break;
                    }

                default:
                    {
                        var temp = Fresh("ref");
                        parameters.Add(Raw(temp).At<Identifier>(p));
                        Expression pattern = p;
                        Expression value = Raw(temp);
                        if (p is AssignmentPattern apx)
                        {
                            pattern = apx.Left;
                            value = new ConditionalExpression(Bin("===", Raw(temp), Void0()), apx.Right, Raw(temp));
                        }

                        DeclareParameterNames(pattern);
                        var decl = new VariableDeclaration("var").At<VariableDeclaration>(p);
                        decl.Declarations.Add(new VariableDeclarator(pattern, value).At<VariableDeclarator>(p));
                        prologue.Add(decl);
                        break;
                    }
            }
        }

        var varNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in fn.Body)
        {
            CollectVarNames(s, varNames);
        }

        foreach (var n in varNames)
        {
            _scope.Names[n] = n;
            _scope.Declared.Add(n);
        }

        var source = new List<Statement>(prologue.Count + fn.Body.Count);
        var directives = fn.Body.TakeWhile(s => s is ExpressionStatement { Directive: not null }).ToList();
        source.AddRange(directives);
        source.AddRange(prologue);
        source.AddRange(fn.Body.Skip(directives.Count));
        var body = LowerStatementList(source);
        if (preBody is not null)
        {
            body.InsertRange(directives.Count, preBody());
        }

        if (fn.IsAsync || fn.IsGenerator)
        {
            body = BuildStateMachine(body, ctx, fn.IsAsync, fn);
        }

        InsertPrologue(body, ctx, checkpoint: true);
        _fn = savedFn;
        _scope = savedScope;

        var fnId = fn.Id is null ? null : new Identifier(fn.Id.Name) { NoResolve = fn.Id.NoResolve }.At<Identifier>(fn.Id);
        if (fnId is null && ctx.NeedsName)
        {
            fnId = Raw(ctx.FunctionName!);
        }

        return new FunctionNode
        {
            Id = fnId,
            Params = parameters,
            Body = body,
            EndLine = fn.EndLine,
            IsLoopBody = fn.IsLoopBody,
        }.At<FunctionNode>(fn);
    }

    /// <summary>Names bound by a destructured or rest parameter are function-scoped, like simple parameters.</summary>
    private void DeclareParameterNames(Expression pattern)
    {
        foreach (var id in BoundIdentifiers(pattern))
        {
            _scope.Names[id.Name] = id.Name;
            _scope.Declared.Add(id.Name);
        }
    }

    private FunctionContext NonArrow()
    {
        var ctx = _fn;
        while (ctx.IsArrow && ctx.Parent is not null)
        {
            ctx = ctx.Parent;
        }

        return ctx;
    }

    private Expression LowerThis(Node at)
    {
        var ctx = NonArrow();
        if (ctx == _fn)
        {
            return new ThisExpression().At<ThisExpression>(at);
        }

        ctx.ThisAlias ??= Fresh("this");
        return Raw(ctx.ThisAlias).At<Identifier>(at);
    }

    private Expression LowerArguments(Identifier at)
    {
        var ctx = NonArrow();
        if (ctx == _fn || ctx.IsProgram)
        {
            return Id("arguments").At<Identifier>(at);
        }

        ctx.ArgumentsAlias ??= Fresh("arguments");
        return Raw(ctx.ArgumentsAlias).At<Identifier>(at);
    }

    private Expression LowerNewTarget(Node at)
    {
        var ctx = NonArrow();
        string? name;
        if (ctx.ClassName is not null)
        {
            name = ctx.ClassName;
        }
        else if (ctx.IsMethod || ctx.IsProgram)
        {
            return Void0();
        }
        else
        {
            if (ctx.FunctionName is null)
            {
                ctx.FunctionName = Fresh("newTarget");
                ctx.NeedsName = true;
            }

            name = ctx.FunctionName;
        }

        // new.target → (this instanceof F ? this.constructor : void 0)
        return new ConditionalExpression(
            Bin("instanceof", LowerThis(at), Raw(name)),
            Member(LowerThis(at), "constructor"),
            Void0()).At<ConditionalExpression>(at);
    }
}
