using ChatIntegrations.JavaScript.Lexing;

namespace ChatIntegrations.JavaScript.Parsing;

/// <summary>
/// Recursive-descent parser for ES2022 scripts. Every recursive production passes through <see cref="Enter"/>,
/// so the parser never recurses deeper than <see cref="CompilerOptions.MaxNestingDepth"/> (SCR-44a).
/// </summary>
internal sealed class Parser
{
    private static readonly HashSet<string> ReservedWords =
    [
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
        "export", "extends", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "return",
        "super", "switch", "this", "throw", "try", "typeof", "var", "void", "while", "with", "null", "true", "false",
        "enum",
    ];

    private static readonly Dictionary<string, int> BinaryPrecedence = new()
    {
        ["??"] = 1, ["||"] = 1, ["&&"] = 2, ["|"] = 3, ["^"] = 4, ["&"] = 5,
        ["=="] = 6, ["!="] = 6, ["==="] = 6, ["!=="] = 6,
        ["<"] = 7, [">"] = 7, ["<="] = 7, [">="] = 7, ["instanceof"] = 7, ["in"] = 7,
        ["<<"] = 8, [">>"] = 8, [">>>"] = 8, ["+"] = 9, ["-"] = 9, ["*"] = 10, ["/"] = 10, ["%"] = 10, ["**"] = 11,
    };

    private static readonly HashSet<string> AssignmentOperators =
        ["=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=", "??="];

    private readonly Lexer _lexer;
    private readonly int _maxDepth;
    private Token _tok;
    private Token _prev;
    private int _depth;
    private int _functionDepth;
    private bool _noIn;
    private readonly bool _allowAsync;
    private readonly bool _allowGenerators;
    private bool _inAsync;
    private bool _inGenerator;

    public Parser(string source, int maxDepth, bool allowAsync = false, bool allowGenerators = false)
    {
        _lexer = new Lexer(source);
        _maxDepth = maxDepth;
        _allowAsync = allowAsync;
        _allowGenerators = allowGenerators;
        _tok = _lexer.Next();
        _prev = _tok;
    }

    public HashSet<string> Names => _lexer.Names;

    public Program ParseProgram()
    {
        var program = new Program { Line = 1, Column = 1 };
        program.Body.AddRange(ParseBody(isFunction: false));
        if (_tok.Kind != TokenKind.EndOfFile)
        {
            throw Unexpected(_tok);
        }

        return program;
    }

    // ---------------------------------------------------------------- infrastructure

    private void Next()
    {
        _prev = _tok;
        _tok = _lexer.Next();
    }

    private Token Peek()
    {
        var state = _lexer.Save();
        var t = _lexer.Next();
        _lexer.Restore(state);
        return t;
    }

    private void Enter()
    {
        if (++_depth > _maxDepth || !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            // SCR-44a: the nesting bound is reported at the construct; the parser goes no deeper.
            throw Error(_tok, $"Nesting is too deep (more than {_maxDepth} levels)");
        }
    }

    private void Leave() => _depth--;

    private static SyntaxErrorException Error(Token t, string message) => new(t.Line, t.Column, message);

    private static SyntaxErrorException Error(Node n, string message) => new(n.Line, n.Column, message);

    private static SyntaxErrorException Unexpected(Token t) => t.Kind switch
    {
        TokenKind.EndOfFile => Error(t, "Unexpected end of input"),
        TokenKind.Identifier when ReservedWords.Contains(t.Value) => Error(t, $"Unexpected token '{t.Value}'"),
        TokenKind.Identifier => Error(t, $"Unexpected identifier '{t.Value}'"),
        TokenKind.String => Error(t, "Unexpected string"),
        TokenKind.Number => Error(t, "Unexpected number"),
        TokenKind.Template => Error(t, "Unexpected template string"),
        TokenKind.PrivateName => Error(t, $"Unexpected private name '#{t.Value}'"),
        _ => Error(t, $"Unexpected token '{t.Value}'"),
    };

    private T At<T>(T node, Token t)
        where T : Node
    {
        node.Line = t.Line;
        node.Column = t.Column;
        return node;
    }

    private void Expect(string punctuator)
    {
        if (!_tok.Is(punctuator))
        {
            throw Unexpected(_tok);
        }

        Next();
    }

    private bool Eat(string punctuator)
    {
        if (_tok.Is(punctuator))
        {
            Next();
            return true;
        }

        return false;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!_tok.IsName(keyword))
        {
            throw Unexpected(_tok);
        }

        Next();
    }

    private void ConsumeSemicolon()
    {
        if (Eat(";"))
        {
            return;
        }

        if (_tok.Is("}") || _tok.Kind == TokenKind.EndOfFile || _tok.NewlineBefore)
        {
            return;
        }

        throw Unexpected(_tok);
    }

    private bool IsIdentifierToken(Token t) =>
        t.Kind == TokenKind.Identifier && (t.Escaped || !ReservedWords.Contains(t.Value));

    private Identifier ParseIdentifier()
    {
        if (!IsIdentifierToken(_tok))
        {
            throw Unexpected(_tok);
        }

        var id = At(new Identifier(_tok.Value), _tok);
        Next();
        return id;
    }

    // ---------------------------------------------------------------- statements

    private List<Statement> ParseBody(bool isFunction)
    {
        var list = new List<Statement>();
        var prologue = true;
        while (_tok.Kind != TokenKind.EndOfFile && !(isFunction && _tok.Is("}")))
        {
            var directiveToken = _tok.Kind == TokenKind.String ? _tok : null;
            var stmt = ParseStatementListItem();
            if (prologue && directiveToken is not null && stmt is ExpressionStatement { Expression: Literal { Kind: LiteralKind.String } })
            {
                ((ExpressionStatement)stmt).Directive = directiveToken.Raw;
            }
            else
            {
                prologue = false;
            }

            list.Add(stmt);
        }

        return list;
    }

    private Statement ParseStatementListItem()
    {
        var t = _tok;
        if (t.Kind == TokenKind.Identifier && !t.Escaped)
        {
            switch (t.Value)
            {
                case "function":
                    return At(new FunctionDeclaration(ParseFunction(isDeclaration: true)), t);
                case "class":
                    return At(new ClassDeclaration(ParseClass(isDeclaration: true)), t);
                case "const":
                    return ParseVariableStatement();
                case "let" when IsLetDeclaration():
                    return ParseVariableStatement();
                case "import":
                    if (!Peek().Is("("))
                    {
                        throw Error(t, "'import' is not supported: scripts are not modules");
                    }

                    break;
                case "export":
                    throw Error(t, "'export' is not supported: scripts are not modules");
                case "async":
                    if (AsyncAhead() && Peek().IsName("function"))
                    {
                        return At(new FunctionDeclaration(ParseFunction(isDeclaration: true, isAsync: true)), t);
                    }

                    break;
            }
        }

        return ParseStatement();
    }

    private bool IsLetDeclaration()
    {
        var n = Peek();
        return (n.Kind == TokenKind.Identifier && (!ReservedWords.Contains(n.Value) || n.Value is "yield" or "await")) || n.Is("[") || n.Is("{");
    }

    /// <summary>
    /// At an <c>async</c> token: true for <c>async function</c>, <c>async x =></c> and <c>async (…) =></c>; such a
    /// construct is rejected by name when async functions are disabled (SCR-32).
    /// </summary>
    private bool AsyncAhead()
    {
        var n = Peek();
        if (n.NewlineBefore)
        {
            return false;
        }

        if (n.IsName("function") || (n.Kind == TokenKind.Identifier && IsArrowAfterIdentifier()) || (n.Is("(") && IsArrowAfterAsyncParen()))
        {
            if (!_allowAsync)
            {
                throw Error(_tok, "Async functions are not supported");
            }

            return true;
        }

        return false;
    }

    private bool IsArrowAfterIdentifier()
    {
        var state = _lexer.Save();
        _lexer.Next();
        var arrow = _lexer.Next();
        _lexer.Restore(state);
        return arrow.Is("=>") && !arrow.NewlineBefore;
    }

    private bool IsArrowAfterAsyncParen()
    {
        var state = _lexer.Save();
        var open = _lexer.Next();
        var result = ScanBalancedThenArrow(open);
        _lexer.Restore(state);
        return result;
    }

    private Statement ParseStatement()
    {
        Enter();
        var s = ParseStatementCore();
        Leave();
        return s;
    }

    private Statement ParseStatementCore()
    {
        var t = _tok;
        if (t.Kind == TokenKind.Punctuator)
        {
            switch (t.Value)
            {
                case "{":
                    return ParseBlock();
                case ";":
                    Next();
                    return At(new EmptyStatement(), t);
            }
        }

        if (t.Kind == TokenKind.Identifier && !t.Escaped)
        {
            switch (t.Value)
            {
                case "var":
                    return ParseVariableStatement();
                case "if":
                    return ParseIf();
                case "for":
                    return ParseFor();
                case "while":
                    {
                        Next();
                        Expect("(");
                        var test = ParseExpression();
                        Expect(")");
                        return At(new WhileStatement(test, ParseStatement()), t);
                    }

                case "do":
                    {
                        Next();
                        var body = ParseStatement();
                        ExpectKeyword("while");
                        Expect("(");
                        var test = ParseExpression();
                        Expect(")");
                        Eat(";");
                        return At(new DoWhileStatement(body, test), t);
                    }

                case "continue":
                case "break":
                    {
                        Next();
                        string? label = null;
                        if (IsIdentifierToken(_tok) && !_tok.NewlineBefore)
                        {
                            label = _tok.Value;
                            Next();
                        }

                        ConsumeSemicolon();
                        return t.Value == "break" ? At(new BreakStatement(label), t) : At(new ContinueStatement(label), t);
                    }

                case "return":
                    {
                        if (_functionDepth == 0)
                        {
                            throw Error(t, "Illegal return statement");
                        }

                        Next();
                        Expression? arg = null;
                        if (!_tok.Is(";") && !_tok.Is("}") && _tok.Kind != TokenKind.EndOfFile && !_tok.NewlineBefore)
                        {
                            arg = ParseExpression();
                        }

                        ConsumeSemicolon();
                        return At(new ReturnStatement(arg), t);
                    }

                case "throw":
                    {
                        Next();
                        if (_tok.NewlineBefore)
                        {
                            throw Error(_tok, "Illegal newline after throw");
                        }

                        var arg = ParseExpression();
                        ConsumeSemicolon();
                        return At(new ThrowStatement(arg), t);
                    }

                case "try":
                    return ParseTry();
                case "switch":
                    return ParseSwitch();
                case "debugger":
                    Next();
                    ConsumeSemicolon();
                    return At(new DebuggerStatement(), t);
                case "with":
                    throw Error(t, "'with' statements are not supported");
                case "function":
                    return At(new FunctionDeclaration(ParseFunction(isDeclaration: true)), t);
                case "class":
                    return At(new ClassDeclaration(ParseClass(isDeclaration: true)), t);
                case "const":
                    return ParseVariableStatement();
                case "let" when IsLetDeclaration():
                    return ParseVariableStatement();
                case "async":
                    if (AsyncAhead() && Peek().IsName("function"))
                    {
                        return At(new FunctionDeclaration(ParseFunction(isDeclaration: true, isAsync: true)), t);
                    }

                    break;
                case "import" when !Peek().Is("("):
                    throw Error(t, "'import' is not supported: scripts are not modules");
                case "export":
                    throw Error(t, "'export' is not supported: scripts are not modules");
            }
        }

        if (IsIdentifierToken(t) && Peek().Is(":"))
        {
            Next();
            Next();
            return At(new LabeledStatement(t.Value, ParseStatement()), t);
        }

        var expr = ParseExpression();
        ConsumeSemicolon();
        return At(new ExpressionStatement(expr), t);
    }

    private BlockStatement ParseBlock()
    {
        var block = At(new BlockStatement(), _tok);
        Expect("{");
        while (!_tok.Is("}"))
        {
            if (_tok.Kind == TokenKind.EndOfFile)
            {
                throw Unexpected(_tok);
            }

            block.Body.Add(ParseStatementListItem());
        }

        block.EndLine = _tok.Line;
        Next();
        return block;
    }

    private VariableDeclaration ParseVariableStatement()
    {
        var decl = ParseVariableDeclaration();
        ConsumeSemicolon();
        return decl;
    }

    private VariableDeclaration ParseVariableDeclaration(bool inForHead = false)
    {
        var t = _tok;
        var decl = At(new VariableDeclaration(t.Value), t);
        Next();
        do
        {
            var idTok = _tok;
            var id = ParseBindingTarget();
            Expression? init = null;
            if (Eat("="))
            {
                init = ParseAssignment();
            }
            else if (!inForHead && (id is not Identifier || decl.Kind == "const"))
            {
                throw Error(_tok, id is Identifier ? "Missing initializer in const declaration" : "Missing initializer in destructuring declaration");
            }

            decl.Declarations.Add(At(new VariableDeclarator(id, init), idTok));
        }
        while (Eat(","));

        return decl;
    }

    private IfStatement ParseIf()
    {
        var t = _tok;
        Next();
        Expect("(");
        var test = ParseExpression();
        Expect(")");
        var consequent = ParseStatement();
        Statement? alternate = null;
        if (_tok.IsName("else"))
        {
            Next();
            alternate = ParseStatement();
        }

        return At(new IfStatement(test, consequent, alternate), t);
    }

    private Statement ParseFor()
    {
        var t = _tok;
        Next();
        if (_tok.IsName("await"))
        {
            throw Error(_tok, "'for await' is not supported");
        }

        Expect("(");
        Statement? init = null;
        var initTok = _tok;
        if (_tok.Is(";"))
        {
            // no init
        }
        else if (_tok.IsName("var") || _tok.IsName("const") || (_tok.IsName("let") && IsLetDeclaration()))
        {
            _noIn = true;
            var decl = ParseVariableDeclaration(inForHead: true);
            _noIn = false;
            if ((_tok.IsName("of") || _tok.IsName("in")) && decl.Declarations.Count == 1)
            {
                return ParseForInOfRest(t, decl);
            }

            foreach (var d in decl.Declarations)
            {
                if (d.Init is null && (d.Id is not Identifier || decl.Kind == "const"))
                {
                    throw Error(_tok, "Missing initializer in declaration");
                }
            }

            init = decl;
        }
        else
        {
            _noIn = true;
            var expr = ParseExpression();
            _noIn = false;
            if (_tok.IsName("of") || _tok.IsName("in"))
            {
                return ParseForInOfRest(t, At(new ExpressionStatement(ToAssignmentTarget(expr, isDeclaration: false)), initTok));
            }

            init = At(new ExpressionStatement(expr), initTok);
        }

        Expect(";");
        var test = _tok.Is(";") ? null : ParseExpression();
        Expect(";");
        var update = _tok.Is(")") ? null : ParseExpression();
        Expect(")");
        var body = ParseStatement();
        return At(new ForStatement { Init = init, Test = test, Update = update, Body = body }, t);
    }

    private ForInStatement ParseForInOfRest(Token t, Statement left)
    {
        var isOf = _tok.IsName("of");
        Next();
        var right = isOf ? ParseAssignment() : ParseExpression();
        Expect(")");
        var body = ParseStatement();
        return At(new ForInStatement { Left = left, Right = right, Body = body, IsOf = isOf }, t);
    }

    private TryStatement ParseTry()
    {
        var t = _tok;
        Next();
        var stmt = At(new TryStatement { Block = ParseBlock() }, t);
        if (_tok.IsName("catch"))
        {
            Next();
            if (Eat("("))
            {
                stmt.Param = ParseBindingTarget();
                Expect(")");
            }

            stmt.Handler = ParseBlock();
        }

        if (_tok.IsName("finally"))
        {
            Next();
            stmt.Finalizer = ParseBlock();
        }

        if (stmt.Handler is null && stmt.Finalizer is null)
        {
            throw Error(_tok, "Missing catch or finally after try");
        }

        return stmt;
    }

    private SwitchStatement ParseSwitch()
    {
        var t = _tok;
        Next();
        Expect("(");
        var stmt = At(new SwitchStatement(ParseExpression()), t);
        Expect(")");
        Expect("{");
        while (!Eat("}"))
        {
            var caseTok = _tok;
            SwitchCase c;
            if (_tok.IsName("case"))
            {
                Next();
                c = At(new SwitchCase(ParseExpression()), caseTok);
            }
            else
            {
                ExpectKeyword("default");
                c = At(new SwitchCase(null), caseTok);
            }

            Expect(":");
            while (!_tok.Is("}") && !_tok.IsName("case") && !_tok.IsName("default"))
            {
                if (_tok.Kind == TokenKind.EndOfFile)
                {
                    throw Unexpected(_tok);
                }

                c.Consequent.Add(ParseStatementListItem());
            }

            stmt.Cases.Add(c);
        }

        return stmt;
    }

    // ---------------------------------------------------------------- functions and classes

    private FunctionNode ParseFunction(bool isDeclaration, bool isAsync = false)
    {
        var t = _tok;
        if (isAsync)
        {
            Next();
        }

        ExpectKeyword("function");
        var fn = At(new FunctionNode { IsAsync = isAsync }, t);
        if (_tok.Is("*"))
        {
            CheckGenerator(t, isAsync);
            Next();
            fn.IsGenerator = true;
        }

        if (isDeclaration || IsIdentifierToken(_tok))
        {
            fn.Id = ParseIdentifier();
        }

        ParseFunctionRest(fn);
        return fn;
    }

    /// <summary>Reads the <c>async</c>, <c>*</c> and <c>get</c>/<c>set</c> prefixes of a class member or an object
    /// literal method; <paramref name="isKeyEnd"/> tells whether the next token ends a key (then the word is the key).</summary>
    private (bool IsAsync, bool IsGenerator, string? Accessor) ParseMethodPrefix(Func<Token, bool> isKeyEnd)
    {
        var isAsync = false;
        var isGenerator = false;
        if (_tok.IsName("async") && !isKeyEnd(Peek()) && !Peek().NewlineBefore)
        {
            if (!_allowAsync)
            {
                throw Error(_tok, "Async functions are not supported");
            }

            isAsync = true;
            Next();
        }

        if (_tok.Is("*"))
        {
            CheckGenerator(_tok, isAsync);
            isGenerator = true;
            Next();
        }

        string? accessor = null;
        if (!isAsync && !isGenerator && (_tok.IsName("get") || _tok.IsName("set")) && !isKeyEnd(Peek()))
        {
            accessor = _tok.Value;
            Next();
        }

        return (isAsync, isGenerator, accessor);
    }

    private void CheckGenerator(Token t, bool isAsync)
    {
        if (isAsync)
        {
            throw Error(t, "Async generators are not supported");
        }

        if (!_allowGenerators)
        {
            throw Error(t, "Generators are not supported");
        }
    }

    private void ParseFunctionRest(FunctionNode fn)
    {
        Enter();
        var savedAsync = _inAsync;
        var savedGenerator = _inGenerator;
        _inAsync = fn.IsAsync;
        _inGenerator = fn.IsGenerator;
        Expect("(");
        while (!_tok.Is(")"))
        {
            if (_tok.Is("..."))
            {
                var restTok = _tok;
                Next();
                fn.Params.Add(At(new RestElement(ParseBindingTarget()), restTok));
                if (!_tok.Is(")"))
                {
                    throw Error(_tok, "Rest parameter must be last formal parameter");
                }

                break;
            }

            fn.Params.Add(ParseBindingElement());
            if (!_tok.Is(")"))
            {
                Expect(",");
            }
        }

        Expect(")");
        ParseFunctionBody(fn);
        _inAsync = savedAsync;
        _inGenerator = savedGenerator;
        Leave();
    }

    private void ParseFunctionBody(FunctionNode fn)
    {
        Expect("{");
        var savedNoIn = _noIn;
        _noIn = false;
        _functionDepth++;
        fn.Body = ParseBody(isFunction: true);
        _functionDepth--;
        _noIn = savedNoIn;
        fn.EndLine = _tok.Line;
        Expect("}");
    }

    private ClassNode ParseClass(bool isDeclaration)
    {
        var t = _tok;
        ExpectKeyword("class");
        var cls = At(new ClassNode(), t);
        if (IsIdentifierToken(_tok) && !_tok.IsName("extends"))
        {
            cls.Id = ParseIdentifier();
        }
        else if (isDeclaration)
        {
            throw Unexpected(_tok);
        }

        Enter();
        if (_tok.IsName("extends"))
        {
            Next();
            var superTok = _tok;
            cls.SuperClass = ParseLeftHandSide();
            if (cls.SuperClass is Identifier { Name: "Array" or "Map" or "Set" or "Promise" or "WeakMap" or "WeakSet" or "Date" or "RegExp" or "Function" or "Number" or "String" or "Boolean" or "Symbol" } sup)
            {
                // SCR-61: extending these built-ins is unsupported (an ES5 constructor cannot subclass them), so it is
                // rejected by name. Error and its subclasses are supported.
                throw Error(superTok, $"Extending {sup.Name} is not supported");
            }
        }

        Expect("{");
        while (!_tok.Is("}"))
        {
            if (Eat(";"))
            {
                continue;
            }

            if (_tok.Kind == TokenKind.EndOfFile)
            {
                throw Unexpected(_tok);
            }

            cls.Members.Add(ParseClassMember());
        }

        cls.EndLine = _tok.Line;
        Next();
        Leave();
        return cls;
    }

    private static bool IsMemberEnd(Token t) => t.Is("(") || t.Is("=") || t.Is(";") || t.Is("}") || t.NewlineBefore;

    private ClassMember ParseClassMember()
    {
        var t = _tok;
        var member = At(new ClassMember(), t);
        if (_tok.IsName("static") && !IsMemberEnd(Peek()))
        {
            Next();
            member.Static = true;
            if (_tok.Is("{"))
            {
                member.Kind = ClassMemberKind.StaticBlock;
                var fn = At(new FunctionNode { IsMethod = true }, _tok);
                _functionDepth++;
                var block = ParseBlock();
                _functionDepth--;
                member.StaticBlock = block.Body;
                fn.EndLine = block.EndLine;
                return member;
            }
        }

        var (isAsync, isGenerator, accessor) = ParseMethodPrefix(IsMemberEnd);
        var kind = accessor switch { "get" => ClassMemberKind.Get, "set" => ClassMemberKind.Set, _ => ClassMemberKind.Method };

        var keyTok = _tok;
        (member.Key, member.Computed) = ParsePropertyKey(allowPrivate: true);
        if (_tok.Is("("))
        {
            var isCtor = !member.Static && !member.Computed && kind == ClassMemberKind.Method &&
                ((member.Key is Identifier { Name: "constructor" } && keyTok.Kind == TokenKind.Identifier) ||
                 (member.Key is Literal { Value: "constructor" }));
            member.Kind = isCtor ? ClassMemberKind.Constructor : kind;
            if (isCtor && (isAsync || isGenerator))
            {
                throw Error(keyTok, "Class constructor may not be an async method or a generator");
            }

            var fn = At(new FunctionNode { IsMethod = true, IsConstructor = isCtor, IsAsync = isAsync, IsGenerator = isGenerator }, keyTok);
            _functionDepth++;
            ParseFunctionRest(fn);
            _functionDepth--;
            member.Function = fn;
            return member;
        }

        if (kind != ClassMemberKind.Method || isAsync || isGenerator)
        {
            throw Unexpected(_tok);
        }

        member.Kind = ClassMemberKind.Field;
        if (Eat("="))
        {
            _functionDepth++;
            member.FieldValue = ParseAssignment();
            _functionDepth--;
        }

        ConsumeSemicolon();
        return member;
    }

    private (Expression Key, bool Computed) ParsePropertyKey(bool allowPrivate)
    {
        var t = _tok;
        switch (t.Kind)
        {
            case TokenKind.Identifier:
                Next();
                return (At(new Identifier(t.Value), t), false);
            case TokenKind.String:
                Next();
                return (At(new Literal { Kind = LiteralKind.String, Value = t.Value }, t), false);
            case TokenKind.Number:
                Next();
                return (At(Literal.Num(t.NumberValue), t), false);
            case TokenKind.PrivateName when allowPrivate:
                Next();
                return (At(new PrivateName(t.Value), t), false);
            case TokenKind.Punctuator when t.Value == "[":
                {
                    Next();
                    var savedNoIn = _noIn;
                    _noIn = false;
                    var key = ParseAssignment();
                    _noIn = savedNoIn;
                    Expect("]");
                    return (key, true);
                }

            default:
                throw Unexpected(t);
        }
    }

    // ---------------------------------------------------------------- patterns

    private Expression ParseBindingTarget()
    {
        if (_tok.Is("["))
        {
            return ParseArrayBindingPattern();
        }

        if (_tok.Is("{"))
        {
            return ParseObjectBindingPattern();
        }

        return ParseIdentifier();
    }

    private Expression ParseBindingElement()
    {
        var t = _tok;
        var target = ParseBindingTarget();
        if (Eat("="))
        {
            return At(new AssignmentPattern(target, ParseAssignment()), t);
        }

        return target;
    }

    private ArrayPattern ParseArrayBindingPattern()
    {
        Enter();
        var pattern = At(new ArrayPattern(), _tok);
        Expect("[");
        while (!_tok.Is("]"))
        {
            if (_tok.Is(","))
            {
                Next();
                pattern.Elements.Add(null);
                continue;
            }

            if (_tok.Is("..."))
            {
                var restTok = _tok;
                Next();
                pattern.Elements.Add(At(new RestElement(ParseBindingTarget()), restTok));
                break;
            }

            pattern.Elements.Add(ParseBindingElement());
            if (!_tok.Is("]"))
            {
                Expect(",");
            }
        }

        Expect("]");
        Leave();
        return pattern;
    }

    private ObjectPattern ParseObjectBindingPattern()
    {
        Enter();
        var pattern = At(new ObjectPattern(), _tok);
        Expect("{");
        while (!_tok.Is("}"))
        {
            var t = _tok;
            if (Eat("..."))
            {
                pattern.Properties.Add(At(new RestElement(ParseIdentifier()), t));
                break;
            }

            var (key, computed) = ParsePropertyKey(allowPrivate: false);
            var prop = At(new Property { Key = key, Computed = computed }, t);
            if (Eat(":"))
            {
                prop.Value = ParseBindingElement();
            }
            else
            {
                if (key is not Identifier id || computed || (ReservedWords.Contains(id.Name) && !t.Escaped))
                {
                    throw Unexpected(_tok);
                }

                prop.Shorthand = true;
                var target = At(new Identifier(id.Name), t);
                prop.Value = Eat("=") ? At(new AssignmentPattern(target, ParseAssignment()), t) : target;
            }

            pattern.Properties.Add(prop);
            if (!_tok.Is("}"))
            {
                Expect(",");
            }
        }

        Expect("}");
        Leave();
        return pattern;
    }

    /// <summary>Reinterprets an expression (cover grammar) as an assignment or binding target.</summary>
    private Expression ToAssignmentTarget(Expression e, bool isDeclaration)
    {
        switch (e)
        {
            case Identifier:
                return e;
            case MemberExpression m when !isDeclaration && !m.Optional:
                return e;
            case ParenthesizedExpression p when p.Expression is Identifier or MemberExpression && !isDeclaration:
                return ToAssignmentTarget(p.Expression, isDeclaration);
            case ArrayExpression arr:
                {
                    var pattern = new ArrayPattern().At<ArrayPattern>(arr);
                    for (var i = 0; i < arr.Elements.Count; i++)
                    {
                        var el = arr.Elements[i];
                        if (el is SpreadElement spread)
                        {
                            if (i != arr.Elements.Count - 1)
                            {
                                throw Error(el, "Rest element must be last element");
                            }

                            pattern.Elements.Add(new RestElement(ToAssignmentTarget(spread.Argument, isDeclaration)).At<RestElement>(el));
                        }
                        else
                        {
                            pattern.Elements.Add(el is null ? null : ToAssignmentTarget(el, isDeclaration));
                        }
                    }

                    return pattern;
                }

            case ObjectExpression obj:
                {
                    var pattern = new ObjectPattern().At<ObjectPattern>(obj);
                    foreach (var p in obj.Properties)
                    {
                        if (p is SpreadProperty sp)
                        {
                            pattern.Properties.Add(new RestElement(ToAssignmentTarget(sp.Argument, isDeclaration)).At<RestElement>(sp));
                            continue;
                        }

                        var prop = (Property)p;
                        if (prop.Kind != PropertyKind.Init || prop.Method)
                        {
                            throw Error(prop, "Invalid destructuring assignment target");
                        }

                        pattern.Properties.Add(new Property
                        {
                            Key = prop.Key, Computed = prop.Computed, Shorthand = prop.Shorthand,
                            Value = ToAssignmentTarget(prop.Value, isDeclaration),
                        }.At<Property>(prop));
                    }

                    return pattern;
                }

            case AssignmentExpression { Operator: "=" } a:
                return new AssignmentPattern(ToAssignmentTarget(a.Target, isDeclaration), a.Value).At<AssignmentPattern>(a);
            case AssignmentPattern ap:
                return ap;
            default:
                throw Error(e, "Invalid left-hand side in assignment");
        }
    }

    // ---------------------------------------------------------------- expressions

    private Expression ParseExpression()
    {
        var t = _tok;
        var first = ParseAssignment();
        if (!_tok.Is(","))
        {
            return first;
        }

        var list = new List<Expression> { first };
        while (Eat(","))
        {
            list.Add(ParseAssignment());
        }

        return At(new SequenceExpression(list), t);
    }

    private Expression ParseAssignment()
    {
        Enter();
        var result = ParseAssignmentCore();
        Leave();
        return result;
    }

    private Expression ParseAssignmentCore()
    {
        var t = _tok;
        if (t.Kind == TokenKind.Identifier && !t.Escaped)
        {
            if (t.Value == "async" && AsyncAhead() && !Peek().IsName("function"))
            {
                Next();
                if (_tok.Is("("))
                {
                    return ParseArrowWithParams(t, isAsync: true);
                }

                var asyncParam = ParseIdentifier();
                return ParseArrowRest(t, [asyncParam], isAsync: true);
            }

            if (t.Value == "yield" && _inGenerator)
            {
                return ParseYield();
            }

            if (IsIdentifierToken(t))
            {
                var n = Peek();
                if (n.Is("=>") && !n.NewlineBefore)
                {
                    var param = ParseIdentifier();
                    return ParseArrowRest(t, [param]);
                }
            }
        }

        if (t.Is("(") && IsArrowAhead())
        {
            return ParseArrowWithParams(t);
        }

        var left = ParseConditional();
        if (_tok.Kind == TokenKind.Punctuator && AssignmentOperators.Contains(_tok.Value))
        {
            var op = _tok.Value;
            var opTok = _tok;
            Expression target;
            if (op == "=")
            {
                target = ToAssignmentTarget(left, isDeclaration: false);
            }
            else
            {
                target = left is ParenthesizedExpression p ? p.Expression : left;
                if (target is not (Identifier or MemberExpression { Optional: false }))
                {
                    throw Error(opTok, "Invalid left-hand side in assignment");
                }
            }

            Next();
            var value = ParseAssignment();
            return At(new AssignmentExpression(op, target, value), t);
        }

        return left;
    }

    private Expression ParseYield()
    {
        var t = _tok;
        Next();
        var isDelegate = false;
        if (!_tok.NewlineBefore && _tok.Is("*"))
        {
            isDelegate = true;
            Next();
        }

        Expression? arg = null;
        var ends = _tok.Kind == TokenKind.EndOfFile || (_tok.NewlineBefore && !isDelegate) ||
            (_tok.Kind == TokenKind.Punctuator && _tok.Value is ")" or "]" or "}" or "," or ";" or ":") ||
            (_tok.Kind == TokenKind.Identifier && !_tok.Escaped && _tok.Value is "in" or "of");
        if (isDelegate || !ends)
        {
            arg = ParseAssignment();
        }

        return At(new YieldExpression(arg, isDelegate), t);
    }

    private bool IsArrowAhead()
    {
        var state = _lexer.Save();
        var result = ScanBalancedThenArrow(_tok);
        _lexer.Restore(state);
        return result;
    }

    /// <summary>From an opening '(' (already read), skips to its ')' and reports whether '=>' follows on the same line.</summary>
    private bool ScanBalancedThenArrow(Token open)
    {
        if (!open.Is("("))
        {
            return false;
        }

        var depth = 1;
        var templateDepths = new Stack<int>();
        Token prev = open;
        while (depth > 0)
        {
            var t = _lexer.Next();
            if (t.Kind == TokenKind.EndOfFile)
            {
                return false;
            }

            if (t.Kind == TokenKind.Template && !t.TemplateTail)
            {
                templateDepths.Push(depth);
                depth++;
            }
            else if (t.Is("/") || t.Is("/="))
            {
                // A regex can only follow an operator-like token; that is enough inside parameter lists.
                if (prev.Kind == TokenKind.Punctuator && !prev.Is(")") && !prev.Is("]") && !prev.Is("}"))
                {
                    t = _lexer.RescanAsRegex(t);
                }
            }
            else if (t.Is("(") || t.Is("[") || t.Is("{"))
            {
                depth++;
            }
            else if (t.Is(")") || t.Is("]") || t.Is("}"))
            {
                depth--;
                if (t.Is("}") && templateDepths.Count > 0 && templateDepths.Peek() == depth)
                {
                    templateDepths.Pop();
                    var cont = _lexer.RescanTemplateContinuation(t);
                    if (!cont.TemplateTail)
                    {
                        templateDepths.Push(depth);
                        depth++;
                    }
                }
            }

            prev = t;
        }

        var arrow = _lexer.Next();
        return arrow.Is("=>") && !arrow.NewlineBefore;
    }

    private Expression ParseArrowWithParams(Token t, bool isAsync = false)
    {
        Expect("(");
        var parameters = new List<Expression>();
        while (!_tok.Is(")"))
        {
            if (_tok.Is("..."))
            {
                var restTok = _tok;
                Next();
                parameters.Add(At(new RestElement(ParseBindingTarget()), restTok));
                break;
            }

            parameters.Add(ParseBindingElement());
            if (!_tok.Is(")"))
            {
                Expect(",");
            }
        }

        Expect(")");
        return ParseArrowRest(t, parameters, isAsync);
    }

    private FunctionNode ParseArrowRest(Token t, List<Expression> parameters, bool isAsync = false)
    {
        if (!_tok.Is("=>") || _tok.NewlineBefore)
        {
            throw Unexpected(_tok);
        }

        Next();
        var savedAsync = _inAsync;
        var savedGenerator = _inGenerator;
        _inAsync = isAsync;
        _inGenerator = false;
        var fn = At(new FunctionNode { IsArrow = true, Params = parameters, IsAsync = isAsync }, t);
        if (_tok.Is("{"))
        {
            ParseFunctionBody(fn);
        }
        else
        {
            var bodyTok = _tok;
            _functionDepth++;
            var expr = ParseAssignment();
            _functionDepth--;
            fn.Body = [At(new ReturnStatement(expr), bodyTok)];
            fn.EndLine = _prev.Line;
        }

        _inAsync = savedAsync;
        _inGenerator = savedGenerator;
        return fn;
    }

    private Expression ParseConditional()
    {
        var t = _tok;
        var test = ParseBinary(0);
        if (!_tok.Is("?"))
        {
            return test;
        }

        Next();
        var savedNoIn = _noIn;
        _noIn = false;
        var consequent = ParseAssignment();
        _noIn = savedNoIn;
        Expect(":");
        var alternate = ParseAssignment();
        return At(new ConditionalExpression(test, consequent, alternate), t);
    }

    private int CurrentBinaryPrecedence()
    {
        var t = _tok;
        if (t.Kind == TokenKind.Punctuator || (t.Kind == TokenKind.Identifier && !t.Escaped && t.Value is "in" or "instanceof"))
        {
            if (t.Value == "in" && _noIn)
            {
                return -1;
            }

            return BinaryPrecedence.TryGetValue(t.Value, out var p) ? p : -1;
        }

        return -1;
    }

    private Expression ParseBinary(int minPrecedence)
    {
        var t = _tok;
        Expression left;
        if (_tok.Kind == TokenKind.PrivateName && Peek().IsName("in"))
        {
            left = At(new PrivateName(_tok.Value), _tok);
            Next();
        }
        else
        {
            left = ParseUnary();
        }

        var chain = 0;
        while (true)
        {
            var prec = CurrentBinaryPrecedence();
            if (prec < 0 || prec < minPrecedence)
            {
                return left;
            }

            var opTok = _tok;
            var op = _tok.Value;
            if (op == "**" && left is UnaryExpression)
            {
                throw Error(opTok, "Unary operator used immediately before exponentiation expression; parentheses are required");
            }

            if (++chain > _maxDepth * 5)
            {
                // A left-deep operator chain is nesting too; later passes recurse over it.
                throw Error(opTok, $"Expression is too complex (more than {_maxDepth * 5} chained operators)");
            }

            Next();
            Enter();
            var right = op == "**" ? ParseBinary(prec) : ParseBinary(prec + 1);
            Leave();
            if ((op == "??" && IsUnparenthesizedLogical(left, "||", "&&")) || (op == "??" && IsUnparenthesizedLogical(right, "||", "&&")) ||
                (op is "||" or "&&" && (IsUnparenthesizedLogical(left, "??") || IsUnparenthesizedLogical(right, "??"))))
            {
                throw Error(opTok, "Cannot mix '??' with '||' or '&&' without parentheses");
            }

            left = At(new BinaryExpression(op, left, right), t);
        }
    }

    private static bool IsUnparenthesizedLogical(Expression e, params string[] ops) =>
        e is BinaryExpression b && ops.Contains(b.Operator);

    private Expression ParseUnary()
    {
        var t = _tok;
        if ((t.Kind == TokenKind.Punctuator && t.Value is "!" or "~" or "+" or "-" or "++" or "--") ||
            (t.Kind == TokenKind.Identifier && !t.Escaped && t.Value is "typeof" or "void" or "delete"))
        {
            Next();
            Enter();
            var arg = ParseUnary();
            Leave();
            if (t.Value is "++" or "--")
            {
                var target = arg is ParenthesizedExpression p ? p.Expression : arg;
                if (target is not (Identifier or MemberExpression { Optional: false }))
                {
                    throw Error(t, "Invalid left-hand side expression in prefix operation");
                }

                return At(new UpdateExpression(t.Value, true, target), t);
            }

            return At(new UnaryExpression(t.Value, arg), t);
        }

        if (t.IsName("await") && _inAsync)
        {
            Next();
            Enter();
            var awaited = ParseUnary();
            Leave();
            return At(new AwaitExpression(awaited), t);
        }

        if (t.IsName("await") && IsAwaitExpressionAhead())
        {
            throw Error(t, _allowAsync ? "'await' is only valid in async functions" : "Async functions are not supported");
        }

        var expr = ParseLeftHandSide();
        if ((_tok.Is("++") || _tok.Is("--")) && !_tok.NewlineBefore)
        {
            var target = expr is ParenthesizedExpression p ? p.Expression : expr;
            if (target is not (Identifier or MemberExpression { Optional: false }))
            {
                throw Error(_tok, "Invalid left-hand side expression in postfix operation");
            }

            var op = _tok.Value;
            Next();
            return At(new UpdateExpression(op, false, target), t);
        }

        return expr;
    }

    private bool IsAwaitExpressionAhead()
    {
        var n = Peek();
        return !n.NewlineBefore && (n.Kind is TokenKind.Number or TokenKind.String or TokenKind.Template ||
            (n.Kind == TokenKind.Identifier && !(n.Value is "in" or "instanceof" or "of")));
    }

    private Expression ParseLeftHandSide()
    {
        var t = _tok;
        Expression expr;
        if (t.IsName("new"))
        {
            expr = ParseNew();
        }
        else if (t.IsName("super"))
        {
            Next();
            expr = At(new SuperExpression(), t);
            if (!_tok.Is("(") && !_tok.Is(".") && !_tok.Is("["))
            {
                throw Error(t, "'super' keyword unexpected here");
            }
        }
        else if (t.IsName("import"))
        {
            throw Error(t, "'import' is not supported: scripts are not modules");
        }
        else
        {
            expr = ParsePrimary();
        }

        return ParseCallTail(expr, t, allowCalls: true);
    }

    private Expression ParseCallTail(Expression expr, Token start, bool allowCalls)
    {
        var optional = false;
        var chain = 0;
        while (true)
        {
            if (++chain > _maxDepth * 5)
            {
                throw Error(_tok, $"Expression is too complex (more than {_maxDepth * 5} chained operations)");
            }

            var t = _tok;
            if (t.Is("."))
            {
                Next();
                expr = At(new MemberExpression(expr, ParseMemberName(), computed: false), start);
            }
            else if (t.Is("?.") && allowCalls)
            {
                Next();
                optional = true;
                if (_tok.Is("("))
                {
                    expr = At(new CallExpression(expr, ParseArguments()) { Optional = true }, start);
                }
                else if (_tok.Is("["))
                {
                    Next();
                    var savedNoIn = _noIn;
                    _noIn = false;
                    var key = ParseExpression();
                    _noIn = savedNoIn;
                    Expect("]");
                    expr = At(new MemberExpression(expr, key, computed: true) { Optional = true }, start);
                }
                else if (_tok.Kind == TokenKind.Template)
                {
                    throw Error(_tok, "Invalid tagged template on optional chain");
                }
                else
                {
                    expr = At(new MemberExpression(expr, ParseMemberName(), computed: false) { Optional = true }, start);
                }
            }
            else if (t.Is("["))
            {
                Next();
                var savedNoIn = _noIn;
                _noIn = false;
                var key = ParseExpression();
                _noIn = savedNoIn;
                Expect("]");
                expr = At(new MemberExpression(expr, key, computed: true), start);
            }
            else if (t.Is("(") && allowCalls)
            {
                expr = At(new CallExpression(expr, ParseArguments()), start);
            }
            else if (t.Kind == TokenKind.Template)
            {
                if (optional)
                {
                    throw Error(t, "Invalid tagged template on optional chain");
                }

                expr = At(new TaggedTemplate(expr, ParseTemplate(tagged: true)), start);
            }
            else
            {
                break;
            }
        }

        return optional ? At(new ChainExpression(expr), start) : expr;
    }

    private Expression ParseMemberName()
    {
        var t = _tok;
        if (t.Kind == TokenKind.PrivateName)
        {
            Next();
            return At(new PrivateName(t.Value), t);
        }

        if (t.Kind != TokenKind.Identifier)
        {
            throw Unexpected(t);
        }

        Next();
        return At(new Identifier(t.Value), t);
    }

    private Expression ParseNew()
    {
        var t = _tok;
        Enter();
        Next();
        if (Eat("."))
        {
            if (!_tok.IsName("target"))
            {
                throw Unexpected(_tok);
            }

            if (_functionDepth == 0)
            {
                throw Error(t, "new.target expression is not allowed here");
            }

            Next();
            Leave();
            return At(new NewTarget(), t);
        }

        Expression callee;
        var calleeTok = _tok;
        if (_tok.IsName("new"))
        {
            callee = ParseNew();
        }
        else if (_tok.IsName("super") || _tok.IsName("import"))
        {
            throw Unexpected(_tok);
        }
        else
        {
            callee = ParsePrimary();
        }

        callee = ParseCallTail(callee, calleeTok, allowCalls: false);
        if (callee is ChainExpression)
        {
            throw Error(t, "Invalid optional chain from new expression");
        }

        var args = _tok.Is("(") ? ParseArguments() : [];
        Leave();
        return At(new NewExpression(callee, args), t);
    }

    private List<Expression> ParseArguments()
    {
        Expect("(");
        var savedNoIn = _noIn;
        _noIn = false;
        var args = new List<Expression>();
        while (!_tok.Is(")"))
        {
            if (_tok.Is("..."))
            {
                var t = _tok;
                Next();
                args.Add(At(new SpreadElement(ParseAssignment()), t));
            }
            else
            {
                args.Add(ParseAssignment());
            }

            if (!_tok.Is(")"))
            {
                Expect(",");
            }
        }

        _noIn = savedNoIn;
        Expect(")");
        return args;
    }

    private Expression ParsePrimary()
    {
        var t = _tok;
        switch (t.Kind)
        {
            case TokenKind.Number:
                Next();
                return At(new Literal { Kind = LiteralKind.Number, Value = t.NumberValue, Raw = t.Value }, t);
            case TokenKind.String:
                Next();
                return At(new Literal { Kind = LiteralKind.String, Value = t.Value, Raw = t.Raw }, t);
            case TokenKind.Template:
                return ParseTemplate(tagged: false);
            case TokenKind.Punctuator:
                switch (t.Value)
                {
                    case "(":
                        {
                            Next();
                            var savedNoIn = _noIn;
                            _noIn = false;
                            var inner = ParseExpression();
                            _noIn = savedNoIn;
                            Expect(")");
                            return At(new ParenthesizedExpression(inner), t);
                        }

                    case "[":
                        return ParseArrayLiteral();
                    case "{":
                        return ParseObjectLiteral();
                    case "/":
                    case "/=":
                        {
                            var re = _lexer.RescanAsRegex(t);
                            _tok = re;
                            Next();
                            return At(new RegExpLiteral(re.Raw, re.Flags), t);
                        }
                }

                break;
            case TokenKind.Identifier when !t.Escaped:
                switch (t.Value)
                {
                    case "this":
                        Next();
                        return At(new ThisExpression(), t);
                    case "null":
                        Next();
                        return At(new Literal { Kind = LiteralKind.Null }, t);
                    case "true":
                    case "false":
                        Next();
                        return At(new Literal { Kind = LiteralKind.Boolean, Value = t.Value == "true" }, t);
                    case "function":
                        return ParseFunction(isDeclaration: false);
                    case "class":
                        return ParseClass(isDeclaration: false);
                    case "async":
                        if (AsyncAhead() && Peek().IsName("function"))
                        {
                            return ParseFunction(isDeclaration: false, isAsync: true);
                        }

                        break;
                }

                break;
        }

        if (IsIdentifierToken(t))
        {
            Next();
            return At(new Identifier(t.Value), t);
        }

        throw Unexpected(t);
    }

    private TemplateLiteral ParseTemplate(bool tagged)
    {
        var start = _tok;
        var tpl = At(new TemplateLiteral(), start);
        var chunk = _tok;
        while (true)
        {
            if (chunk.InvalidCooked && !tagged)
            {
                throw Error(chunk, "Invalid escape sequence in template");
            }

            tpl.Quasis.Add(new TemplateElement { Cooked = chunk.InvalidCooked ? null : chunk.Value, Raw = chunk.Raw });
            if (chunk.TemplateTail)
            {
                Next();
                break;
            }

            Next();
            var savedNoIn = _noIn;
            _noIn = false;
            tpl.Expressions.Add(ParseExpression());
            _noIn = savedNoIn;
            if (!_tok.Is("}"))
            {
                throw Unexpected(_tok);
            }

            chunk = _lexer.RescanTemplateContinuation(_tok);
            _tok = chunk;
        }

        return tpl;
    }

    private ArrayExpression ParseArrayLiteral()
    {
        var arr = At(new ArrayExpression(), _tok);
        Next();
        var savedNoIn = _noIn;
        _noIn = false;
        while (!_tok.Is("]"))
        {
            if (_tok.Is(","))
            {
                Next();
                arr.Elements.Add(null);
                continue;
            }

            if (_tok.Is("..."))
            {
                var t = _tok;
                Next();
                arr.Elements.Add(At(new SpreadElement(ParseAssignment()), t));
            }
            else
            {
                arr.Elements.Add(ParseAssignment());
            }

            if (!_tok.Is("]"))
            {
                Expect(",");
            }
        }

        _noIn = savedNoIn;
        Next();
        return arr;
    }

    private ObjectExpression ParseObjectLiteral()
    {
        var obj = At(new ObjectExpression(), _tok);
        Next();
        var savedNoIn = _noIn;
        _noIn = false;
        while (!_tok.Is("}"))
        {
            obj.Properties.Add(ParseObjectMember());
            if (!_tok.Is("}"))
            {
                Expect(",");
            }
        }

        _noIn = savedNoIn;
        Next();
        return obj;
    }

    private Node ParseObjectMember()
    {
        var t = _tok;
        if (Eat("..."))
        {
            return At(new SpreadProperty(ParseAssignment()), t);
        }

        static bool IsKeyEnd(Token n) => n.Is("(") || n.Is(":") || n.Is(",") || n.Is("}") || n.Is("=");
        var (isAsync, isGenerator, accessor) = ParseMethodPrefix(IsKeyEnd);
        var kind = accessor switch { "get" => PropertyKind.Get, "set" => PropertyKind.Set, _ => PropertyKind.Init };

        var keyTok = _tok;
        var (key, computed) = ParsePropertyKey(allowPrivate: false);
        var prop = At(new Property { Key = key, Computed = computed, Kind = kind }, t);
        if (_tok.Is("("))
        {
            var fn = At(new FunctionNode { IsMethod = true, IsAsync = isAsync, IsGenerator = isGenerator }, keyTok);
            _functionDepth++;
            ParseFunctionRest(fn);
            _functionDepth--;
            prop.Value = fn;
            prop.Method = kind == PropertyKind.Init;
            return prop;
        }

        if (kind != PropertyKind.Init || isAsync || isGenerator)
        {
            throw Unexpected(_tok);
        }

        if (Eat(":"))
        {
            prop.Value = ParseAssignment();
            return prop;
        }

        if (key is not Identifier id || computed || keyTok.Kind != TokenKind.Identifier || !IsIdentifierToken(keyTok))
        {
            throw Unexpected(_tok);
        }

        prop.Shorthand = true;
        var value = At(new Identifier(id.Name), keyTok);
        if (_tok.Is("="))
        {
            // CoverInitializedName: only valid once the literal becomes a pattern.
            var eqTok = _tok;
            Next();
            prop.Value = At(new AssignmentPattern(value, ParseAssignment()), eqTok);
            return prop;
        }

        prop.Value = value;
        return prop;
    }
}
