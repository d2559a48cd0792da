using ChatIntegrations.JavaScript.Parsing;
using static ChatIntegrations.JavaScript.Lowering.Build;

namespace ChatIntegrations.JavaScript.Lowering;

internal sealed partial class Lowerer
{
    /// <summary>
    /// Lowers a loop. for-of becomes a for over the iterator protocol; a for-in with a lexical or destructured head
    /// binds a fresh variable per iteration. When a closure in the body captures a per-iteration binding, the body
    /// becomes a function called once per iteration, and break/continue/return inside it become return codes that
    /// the loop dispatches (labelled jumps included).
    /// </summary>
    private Statement LowerLoop(Statement loop, List<LabeledStatement> labelChain)
    {
        switch (loop)
        {
            case ForInStatement { IsOf: true } forOf:
                {
                    // An abrupt exit (break, return, throw, labelled jumps) closes the iterator: the labels stay on the
                    // loop, inside the try, so that `continue label` still targets an iteration statement.
                    var (rewritten, iterator, step) = RewriteForOf(forOf);
                    var lowered = LowerLoop(rewritten, labelChain);
                    var fin = new BlockStatement();
                    fin.Body.Add(Stmt(CallHelper("close", Raw(iterator), Raw(step))));
                    var block = new BlockStatement().At<BlockStatement>(forOf);
                    block.Body.Add(lowered);
                    return new TryStatement { Block = block, Finalizer = fin }.At<TryStatement>(labelChain.Count > 0 ? labelChain[0] : forOf);
                }

            case ForInStatement forIn when forIn.Left is VariableDeclaration { Kind: not "var" } or VariableDeclaration { Declarations: [{ Id: not Identifier }] } or ExpressionStatement { Expression: ObjectPattern or ArrayPattern }:
                return LowerLoop(RewriteForIn(forIn), labelChain);
        }

        var labels = labelChain.Select(l => l.Label).ToList();

        var headNames = new List<string>();
        Statement result;
        BlockStatement body;
        switch (loop)
        {
            case ForStatement f:
                {
                    PushScope(nested: true);
                    Statement? init = null;
                    if (f.Init is VariableDeclaration v)
                    {
                        DeclareLexical([v]);
                        init = LowerVariableDeclaration(v);
                        if (v.Kind != "var" && init is VariableDeclaration lv)
                        {
                            headNames.AddRange(lv.Declarations.Select(d => ((Identifier)d.Id).Name));
                        }
                    }
                    else if (f.Init is ExpressionStatement es)
                    {
                        init = new ExpressionStatement(LowerExpression(es.Expression)).At<ExpressionStatement>(es);
                    }

                    var test = f.Test is null ? null : LowerExpression(f.Test);
                    var update = f.Update is null ? null : LowerExpression(f.Update);
                    body = EnsureBlock(LowerSubStatement(f.Body));
                    PopScope();
                    result = new ForStatement { Init = init is EmptyStatement ? null : init, Test = test, Update = update, Body = body }.At<ForStatement>(f);
                    break;
                }

            case ForInStatement fi:
                {
                    var left = fi.Left is VariableDeclaration vd
                        ? LowerVariableDeclaration(vd)
                        : new ExpressionStatement(LowerExpression(((ExpressionStatement)fi.Left).Expression)).At<ExpressionStatement>(fi.Left);
                    var right = LowerExpression(fi.Right);
                    body = EnsureBlock(LowerSubStatement(fi.Body));
                    result = new ForInStatement { Left = left, Right = right, Body = body }.At<ForInStatement>(fi);
                    break;
                }

            case WhileStatement w:
                body = EnsureBlock(LowerSubStatement(w.Body));
                result = new WhileStatement(LowerExpression(w.Test), body).At<WhileStatement>(w);
                break;
            case DoWhileStatement d:
                body = EnsureBlock(LowerSubStatement(d.Body));
                result = new DoWhileStatement(body, LowerExpression(d.Test)).At<DoWhileStatement>(d);
                break;
            default:
                throw new InvalidOperationException("not a loop");
        }

        var perIteration = new HashSet<string>(headNames, StringComparer.Ordinal);
        CollectLexicalNames(body.Body, perIteration);
        if (perIteration.Count > 0 && ClosureCaptures(body, perIteration) && !ContainsSuspend(body))
        {
            // Only head bindings the body mentions need to be passed into the per-iteration function.
            var used = new HashSet<string>(StringComparer.Ordinal);
            AstWalker.Walk(body, n =>
            {
                if (n is Identifier id)
                {
                    used.Add(id.Name);
                }

                return true;
            });
            WrapLoopBody(body, headNames.Where(used.Contains).ToList(), labels);
        }

        if (_checkpoints)
        {
            body.Body.Insert(0, Checkpoint());
        }

        return ApplyLabels(result, labelChain);
    }

    private static Statement ApplyLabels(Statement statement, List<LabeledStatement> labelChain)
    {
        for (var k = labelChain.Count - 1; k >= 0; k--)
        {
            statement = new LabeledStatement(labelChain[k].Label, statement).At<LabeledStatement>(labelChain[k]);
        }

        return statement;
    }

    private static BlockStatement EnsureBlock(Statement s)
    {
        if (s is BlockStatement b)
        {
            return b;
        }

        var block = new BlockStatement().At<BlockStatement>(s);
        block.Body.Add(s);
        return block;
    }

    /// <summary>for (LEFT of RIGHT) BODY → for (let _it = __ci.iter(RIGHT), _step; !(_step = _it.next()).done;) { LEFT = _step.value; BODY }.</summary>
    private (ForStatement Loop, string Iterator, string Step) RewriteForOf(ForInStatement f)
    {
        var it = Fresh("iterator");
        var step = Fresh("step");
        var init = new VariableDeclaration("let").At<VariableDeclaration>(f);
        init.Declarations.Add(new VariableDeclarator(Raw(it), CallHelper("iter", f.Right).At<CallExpression>(f.Right)));
        init.Declarations.Add(new VariableDeclarator(Raw(step), null));
        // (_step = null, _step = _it.next()): if next() throws, the iterator is not closed.
        var advance = new SequenceExpression([Assign(Raw(step), new Literal { Kind = LiteralKind.Null }), Assign(Raw(step), Call(Member(Raw(it), "next")))]);
        var test = new UnaryExpression("!", Member(new ParenthesizedExpression(advance), "done")).At<UnaryExpression>(f);
        var body = new BlockStatement().At<BlockStatement>(f.Body);
        body.Body.Add(BindLoopHead(f.Left, Member(Raw(step), "value")));
        body.Body.Add(f.Body);
        return (new ForStatement { Init = init, Test = test, Body = body }.At<ForStatement>(f), it, step);
    }

    /// <summary>for (let k in o) BODY → for (var _key in o) { let k = _key; BODY }.</summary>
    private ForInStatement RewriteForIn(ForInStatement f)
    {
        var key = Fresh("key");
        var left = new VariableDeclaration("var").At<VariableDeclaration>(f.Left);
        left.Declarations.Add(new VariableDeclarator(Raw(key), null));
        var body = new BlockStatement().At<BlockStatement>(f.Body);
        body.Body.Add(BindLoopHead(f.Left, Raw(key)));
        body.Body.Add(f.Body);
        return new ForInStatement { Left = left, Right = f.Right, Body = body }.At<ForInStatement>(f);
    }

    private static Statement BindLoopHead(Statement left, Expression value)
    {
        if (left is VariableDeclaration v)
        {
            var decl = new VariableDeclaration(v.Kind).At<VariableDeclaration>(v);
            decl.Declarations.Add(new VariableDeclarator(v.Declarations[0].Id, value).At<VariableDeclarator>(v));
            return decl;
        }

        var target = ((ExpressionStatement)left).Expression;
        return Stmt(new AssignmentExpression("=", target, value).At<AssignmentExpression>(left)).At<ExpressionStatement>(left);
    }

    /// <summary>Names bound by lowered let/const/class declarations in a body, outside nested functions.</summary>
    private static void CollectLexicalNames(List<Statement> body, HashSet<string> into)
    {
        foreach (var s in body)
        {
            AstWalker.Walk(s, n =>
            {
                if (n is VariableDeclaration { Kind: not "var" } v)
                {
                    foreach (var d in v.Declarations)
                    {
                        if (d.Id is Identifier id)
                        {
                            into.Add(id.Name);
                        }
                    }
                }

                return n is Statement or VariableDeclarator or SwitchCase;
            });
        }
    }

    private static bool ClosureCaptures(Node body, HashSet<string> names)
    {
        var found = false;
        AstWalker.Walk(body, n =>
        {
            if (found)
            {
                return false;
            }

            if (n is FunctionNode fn)
            {
                AstWalker.Walk(fn, inner =>
                {
                    if (inner is Identifier id && names.Contains(id.Name))
                    {
                        found = true;
                    }

                    return !found;
                });
                return false;
            }

            return true;
        });
        return found;
    }

    private static bool IsAssigned(Node body, string name)
    {
        var found = false;
        AstWalker.Walk(body, n =>
        {
            if (n is AssignmentExpression { Target: Identifier t } && t.Name == name)
            {
                found = true;
            }
            else if (n is UpdateExpression { Argument: Identifier u } && u.Name == name)
            {
                found = true;
            }

            return !found;
        });
        return found;
    }

    private void WrapLoopBody(BlockStatement body, List<string> headNames, List<string> ownLabels)
    {
        // 1. `var` declarations keep function scope: hoist them out of the wrapper.
        var hoisted = new List<string>();
        body.Body = body.Body.Select(s => HoistVars(s, hoisted)).ToList();
        _fn.Temps.AddRange(hoisted);

        // 2. Jumps out of the body become return codes.
        var outcomes = new List<string>();
        body.Body = body.Body.Select(s => RewriteJumps(s, ownLabels, outcomes, 0, 0, [])).ToList();

        // 3. `this` and `arguments` keep their meaning inside the wrapper.
        foreach (var s in body.Body)
        {
            ReplaceThisAndArguments(s);
        }

        var parameters = headNames.Select(n => (Expression)Raw(n)).ToList();
        var mutated = headNames.Where(n => IsAssigned(body, n)).ToList();
        var wrapperBody = new List<Statement>();
        if (_checkpoints)
        {
            wrapperBody.Add(Checkpoint());
        }

        var outTemps = mutated.Select(_ => NewTemp("out")).ToList();
        if (mutated.Count > 0)
        {
            var fin = new BlockStatement();
            for (var i = 0; i < mutated.Count; i++)
            {
                fin.Body.Add(Stmt(Assign(Raw(outTemps[i]), Raw(mutated[i]))));
            }

            wrapperBody.Add(new TryStatement { Block = new BlockStatement { Body = body.Body }, Finalizer = fin });
        }
        else
        {
            wrapperBody.AddRange(body.Body);
        }

        var wrapper = new FunctionNode { Params = parameters, Body = wrapperBody, IsLoopBody = true }.At<FunctionNode>(body);
        var call = new CallExpression(new ParenthesizedExpression(wrapper), headNames.Select(n => (Expression)Raw(n)).ToList()).At<CallExpression>(body);
        var newBody = new List<Statement>();
        if (outcomes.Count == 0)
        {
            newBody.Add(Stmt(call).At<ExpressionStatement>(body));
        }
        else
        {
            var r = NewTemp("ret");
            newBody.Add(Stmt(Assign(Raw(r), call)).At<ExpressionStatement>(body));
            foreach (var o in outcomes.Distinct(StringComparer.Ordinal))
            {
                Statement jump = o switch
                {
                    "b" => new BreakStatement(null),
                    "r" => new ReturnStatement(Member(Raw(r), "v")),
                    _ when o.StartsWith("b:", StringComparison.Ordinal) => new BreakStatement(o[2..]),
                    _ => new ContinueStatement(o[2..]),
                };
                var test = o == "r"
                    ? Bin("===", new UnaryExpression("typeof", Raw(r)), Str("object"))
                    : Bin("===", Raw(r), Str(o));
                newBody.Add(new IfStatement(test, jump, null));
            }
        }

        for (var i = 0; i < mutated.Count; i++)
        {
            newBody.Insert(1, Stmt(Assign(Raw(mutated[i]), Raw(outTemps[i]))));
        }

        body.Body = newBody;
    }

    private static Statement HoistVars(Statement s, List<string> hoisted, bool allKinds = false)
    {
        switch (s)
        {
            case VariableDeclaration v when allKinds || v.Kind == "var":
                {
                    var assigns = new List<Expression>();
                    foreach (var d in v.Declarations)
                    {
                        var id = (Identifier)d.Id;
                        hoisted.Add(id.Name);
                        if (d.Init is not null)
                        {
                            assigns.Add(Assign(new Identifier(id.Name) { NoResolve = true }.At<Identifier>(id), d.Init).At<AssignmentExpression>(d));
                        }
                    }

                    return assigns.Count == 0 ? new EmptyStatement().At<EmptyStatement>(v) : Stmt(Seq(assigns)).At<ExpressionStatement>(v);
                }

            case BlockStatement b:
                b.Body = b.Body.Select(x => HoistVars(x, hoisted, allKinds)).ToList();
                return b;
            case IfStatement i:
                i.Consequent = HoistVars(i.Consequent, hoisted, allKinds);
                i.Alternate = i.Alternate is null ? null : HoistVars(i.Alternate, hoisted, allKinds);
                return i;
            case LabeledStatement l:
                l.Body = HoistVars(l.Body, hoisted, allKinds);
                return l;
            case TryStatement t:
                HoistVars(t.Block, hoisted, allKinds);
                if (t.Handler is not null)
                {
                    HoistVars(t.Handler, hoisted, allKinds);
                }

                if (t.Finalizer is not null)
                {
                    HoistVars(t.Finalizer, hoisted, allKinds);
                }

                return t;
            case SwitchStatement sw:
                foreach (var c in sw.Cases)
                {
                    c.Consequent = c.Consequent.Select(x => HoistVars(x, hoisted, allKinds)).ToList();
                }

                return sw;
            case ForStatement f:
                if (f.Init is VariableDeclaration fv && (allKinds || fv.Kind == "var") && HoistVars(f.Init, hoisted, allKinds) is var init)
                {
                    f.Init = init is EmptyStatement ? null : init;
                }

                f.Body = HoistVars(f.Body, hoisted, allKinds);
                return f;
            case ForInStatement fi:
                if (fi.Left is VariableDeclaration lv && (allKinds || lv.Kind == "var"))
                {
                    var id = (Identifier)lv.Declarations[0].Id;
                    hoisted.Add(id.Name);
                    fi.Left = Stmt(new Identifier(id.Name) { NoResolve = true }.At<Identifier>(id)).At<ExpressionStatement>(lv);
                }

                fi.Body = HoistVars(fi.Body, hoisted, allKinds);
                return fi;
            case WhileStatement w:
                w.Body = HoistVars(w.Body, hoisted, allKinds);
                return w;
            case DoWhileStatement d:
                d.Body = HoistVars(d.Body, hoisted, allKinds);
                return d;
            default:
                return s;
        }
    }

    private static Statement RewriteJumps(Statement s, List<string> ownLabels, List<string> outcomes, int loops, int switches, List<string> innerLabels)
    {
        switch (s)
        {
            case BreakStatement br:
                if (br.Label is null)
                {
                    if (loops > 0 || switches > 0)
                    {
                        return s;
                    }

                    outcomes.Add("b");
                    return new ReturnStatement(Str("b")).At<ReturnStatement>(s);
                }

                if (innerLabels.Contains(br.Label))
                {
                    return s;
                }

                if (ownLabels.Contains(br.Label))
                {
                    outcomes.Add("b");
                    return new ReturnStatement(Str("b")).At<ReturnStatement>(s);
                }

                outcomes.Add("b:" + br.Label);
                return new ReturnStatement(Str("b:" + br.Label)).At<ReturnStatement>(s);
            case ContinueStatement co:
                if (co.Label is null)
                {
                    return loops > 0 ? s : new ReturnStatement(null).At<ReturnStatement>(s);
                }

                if (innerLabels.Contains(co.Label))
                {
                    return s;
                }

                if (ownLabels.Contains(co.Label))
                {
                    return new ReturnStatement(null).At<ReturnStatement>(s);
                }

                outcomes.Add("c:" + co.Label);
                return new ReturnStatement(Str("c:" + co.Label)).At<ReturnStatement>(s);
            case ReturnStatement ret:
                {
                    outcomes.Add("r");
                    var obj = new ObjectExpression();
                    obj.Properties.Add(new Property { Key = Id("v"), Value = ret.Argument ?? Void0() });
                    return new ReturnStatement(obj).At<ReturnStatement>(s);
                }

            case BlockStatement b:
                b.Body = b.Body.Select(x => RewriteJumps(x, ownLabels, outcomes, loops, switches, innerLabels)).ToList();
                return b;
            case IfStatement i:
                i.Consequent = RewriteJumps(i.Consequent, ownLabels, outcomes, loops, switches, innerLabels);
                i.Alternate = i.Alternate is null ? null : RewriteJumps(i.Alternate, ownLabels, outcomes, loops, switches, innerLabels);
                return i;
            case LabeledStatement l:
                l.Body = RewriteJumps(l.Body, ownLabels, outcomes, loops, switches, [.. innerLabels, l.Label]);
                return l;
            case TryStatement t:
                t.Block = (BlockStatement)RewriteJumps(t.Block, ownLabels, outcomes, loops, switches, innerLabels);
                if (t.Handler is not null)
                {
                    t.Handler = (BlockStatement)RewriteJumps(t.Handler, ownLabels, outcomes, loops, switches, innerLabels);
                }

                if (t.Finalizer is not null)
                {
                    t.Finalizer = (BlockStatement)RewriteJumps(t.Finalizer, ownLabels, outcomes, loops, switches, innerLabels);
                }

                return t;
            case SwitchStatement sw:
                foreach (var c in sw.Cases)
                {
                    c.Consequent = c.Consequent.Select(x => RewriteJumps(x, ownLabels, outcomes, loops, switches + 1, innerLabels)).ToList();
                }

                return sw;
            case ForStatement f:
                f.Body = RewriteJumps(f.Body, ownLabels, outcomes, loops + 1, switches, innerLabels);
                return f;
            case ForInStatement fi:
                fi.Body = RewriteJumps(fi.Body, ownLabels, outcomes, loops + 1, switches, innerLabels);
                return fi;
            case WhileStatement w:
                w.Body = RewriteJumps(w.Body, ownLabels, outcomes, loops + 1, switches, innerLabels);
                return w;
            case DoWhileStatement d:
                d.Body = RewriteJumps(d.Body, ownLabels, outcomes, loops + 1, switches, innerLabels);
                return d;
            default:
                return s;
        }
    }

    private void ReplaceThisAndArguments(Node node)
    {
        AstWalker.MapChildren(node, child =>
        {
            switch (child)
            {
                case FunctionNode:
                    return child;
                case ThisExpression:
                    return LowerThisFromWrapper(child);
                case Identifier { Name: "arguments" } id when !id.NoResolve || id.Name == "arguments":
                    {
                        var ctx = NonArrow();
                        if (ctx.IsProgram)
                        {
                            return child;
                        }

                        ctx.ArgumentsAlias ??= Fresh("arguments");
                        return Raw(ctx.ArgumentsAlias).At<Identifier>(child);
                    }

                default:
                    ReplaceThisAndArguments(child);
                    return child;
            }
        });
    }

    private Identifier LowerThisFromWrapper(Node at)
    {
        var ctx = NonArrow();
        ctx.ThisAlias ??= Fresh("this");
        return Raw(ctx.ThisAlias).At<Identifier>(at);
    }
}
