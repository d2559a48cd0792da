namespace ChatIntegrations.JavaScript.Parsing;

// The AST follows ESTree names. Nodes are mutable so that lowering can rewrite them in place.
// Line 0 marks a synthesized node: the printer keeps it on the current output line.

internal abstract class Node
{
    public int Line { get; set; }

    public int Column { get; set; }

    public T At<T>(Node? origin)
        where T : Node
    {
        if (origin is not null)
        {
            Line = origin.Line;
            Column = origin.Column;
        }

        return (T)this;
    }
}

internal abstract class Expression : Node;

internal abstract class Statement : Node;

internal sealed class Identifier(string name) : Expression
{
    public string Name { get; set; } = name;

    /// <summary>Synthesized reference that lowering must not resolve or alias (runtime helpers, own <c>arguments</c>).</summary>
    public bool NoResolve { get; init; }
}

internal sealed class PrivateName(string name) : Expression
{
    public string Name { get; } = name;
}

internal enum LiteralKind
{
    Null,
    Boolean,
    Number,
    String,
}

internal sealed class Literal : Expression
{
    public LiteralKind Kind { get; init; }

    /// <summary>Gets or sets the value (settable: state-machine locations are patched once known).</summary>
    public object? Value { get; set; }

    /// <summary>Source text of a number, when it can be printed as is.</summary>
    public string? Raw { get; init; }

    public static Literal Str(string value) => new() { Kind = LiteralKind.String, Value = value };

    public static Literal Num(double value) => new() { Kind = LiteralKind.Number, Value = value };
}

internal sealed class RegExpLiteral(string pattern, string flags) : Expression
{
    public string Pattern { get; set; } = pattern;

    public string Flags { get; set; } = flags;
}

internal sealed class TemplateElement
{
    public string? Cooked { get; init; }

    public string Raw { get; init; } = "";
}

internal sealed class TemplateLiteral : Expression
{
    public List<TemplateElement> Quasis { get; } = [];

    public List<Expression> Expressions { get; } = [];
}

internal sealed class TaggedTemplate(Expression tag, TemplateLiteral quasi) : Expression
{
    public Expression Tag { get; set; } = tag;

    public TemplateLiteral Quasi { get; } = quasi;
}

internal sealed class ThisExpression : Expression;

internal sealed class SuperExpression : Expression;

/// <summary><c>new.target</c>.</summary>
internal sealed class NewTarget : Expression;

internal sealed class SpreadElement(Expression argument) : Expression
{
    public Expression Argument { get; set; } = argument;
}

internal sealed class ArrayExpression : Expression
{
    /// <summary>Elements; <c>null</c> is a hole.</summary>
    public List<Expression?> Elements { get; } = [];
}

internal enum PropertyKind
{
    Init,
    Get,
    Set,
}

internal sealed class Property : Node
{
    public Expression Key { get; set; } = null!;

    public bool Computed { get; set; }

    public Expression Value { get; set; } = null!;

    public PropertyKind Kind { get; set; }

    public bool Method { get; set; }

    public bool Shorthand { get; set; }
}

internal sealed class ObjectExpression : Expression
{
    /// <summary><see cref="Property"/> or <see cref="SpreadElement"/> (wrapped in <see cref="SpreadProperty"/>).</summary>
    public List<Node> Properties { get; } = [];
}

internal sealed class SpreadProperty(Expression argument) : Node
{
    public Expression Argument { get; set; } = argument;
}

internal sealed class FunctionNode : Expression
{
    public Identifier? Id { get; set; }

    public List<Expression> Params { get; set; } = [];

    public List<Statement> Body { get; set; } = [];

    public bool IsArrow { get; set; }

    /// <summary>The function is a lowered loop body: <c>this</c>, <c>arguments</c> and the checkpoint behave as in an arrow.</summary>
    public bool IsLoopBody { get; set; }

    public bool IsMethod { get; set; }

    public bool IsAsync { get; set; }

    public bool IsGenerator { get; set; }

    public bool IsConstructor { get; set; }

    public bool IsDerivedConstructor { get; set; }

    /// <summary>Ending line of the body (the closing brace).</summary>
    public int EndLine { get; set; }
}

internal sealed class ClassMember : Node
{
    public ClassMemberKind Kind { get; set; }

    public Expression? Key { get; set; }

    public bool Computed { get; set; }

    public bool Static { get; set; }

    /// <summary>Method body, or null for a field without initializer.</summary>
    public FunctionNode? Function { get; set; }

    public Expression? FieldValue { get; set; }

    public List<Statement>? StaticBlock { get; set; }
}

internal enum ClassMemberKind
{
    Constructor,
    Method,
    Get,
    Set,
    Field,
    StaticBlock,
}

internal sealed class ClassNode : Expression
{
    public Identifier? Id { get; set; }

    public Expression? SuperClass { get; set; }

    public List<ClassMember> Members { get; } = [];

    public int EndLine { get; set; }
}

internal sealed class UnaryExpression(string op, Expression argument) : Expression
{
    public string Operator { get; } = op;

    public Expression Argument { get; set; } = argument;
}

internal sealed class UpdateExpression(string op, bool prefix, Expression argument) : Expression
{
    public string Operator { get; } = op;

    public bool Prefix { get; } = prefix;

    public Expression Argument { get; set; } = argument;
}

/// <summary>Binary and logical operators, including <c>in</c> and <c>instanceof</c>.</summary>
internal sealed class BinaryExpression(string op, Expression left, Expression right) : Expression
{
    public string Operator { get; set; } = op;

    public Expression Left { get; set; } = left;

    public Expression Right { get; set; } = right;
}

internal sealed class AssignmentExpression(string op, Expression target, Expression value) : Expression
{
    public string Operator { get; set; } = op;

    public Expression Target { get; set; } = target;

    public Expression Value { get; set; } = value;
}

internal sealed class ConditionalExpression(Expression test, Expression consequent, Expression alternate) : Expression
{
    public Expression Test { get; set; } = test;

    public Expression Consequent { get; set; } = consequent;

    public Expression Alternate { get; set; } = alternate;
}

internal sealed class CallExpression(Expression callee, List<Expression> arguments) : Expression
{
    public Expression Callee { get; set; } = callee;

    public List<Expression> Arguments { get; set; } = arguments;

    public bool Optional { get; set; }
}

internal sealed class NewExpression(Expression callee, List<Expression> arguments) : Expression
{
    public Expression Callee { get; set; } = callee;

    public List<Expression> Arguments { get; set; } = arguments;
}

internal sealed class MemberExpression(Expression obj, Expression property, bool computed) : Expression
{
    public Expression Object { get; set; } = obj;

    /// <summary>An <see cref="Identifier"/> (name), a <see cref="PrivateName"/>, or the computed key.</summary>
    public Expression Property { get; set; } = property;

    public bool Computed { get; set; } = computed;

    public bool Optional { get; set; }
}

/// <summary><c>await x</c> inside an async function.</summary>
internal sealed class AwaitExpression(Expression argument) : Expression
{
    public Expression Argument { get; set; } = argument;
}

/// <summary><c>yield x</c> or <c>yield* x</c> inside a generator.</summary>
internal sealed class YieldExpression(Expression? argument, bool @delegate) : Expression
{
    public Expression? Argument { get; set; } = argument;

    public bool Delegate { get; } = @delegate;
}

/// <summary>Delimits an optional chain (<c>a?.b.c</c>): short-circuiting stops here.</summary>
internal sealed class ChainExpression(Expression expression) : Expression
{
    public Expression Expression { get; set; } = expression;
}

internal sealed class SequenceExpression(List<Expression> expressions) : Expression
{
    public List<Expression> Expressions { get; } = expressions;
}

internal sealed class ParenthesizedExpression(Expression expression) : Expression
{
    public Expression Expression { get; set; } = expression;
}

internal sealed class ObjectPattern : Expression
{
    /// <summary><see cref="Property"/> (Value is the target pattern) or <see cref="RestElement"/>.</summary>
    public List<Node> Properties { get; } = [];
}

internal sealed class ArrayPattern : Expression
{
    public List<Expression?> Elements { get; } = [];
}

internal sealed class AssignmentPattern(Expression left, Expression right) : Expression
{
    public Expression Left { get; set; } = left;

    public Expression Right { get; set; } = right;
}

internal sealed class RestElement(Expression argument) : Expression
{
    public Expression Argument { get; set; } = argument;
}

// ---- statements ----

internal sealed class Program : Node
{
    public List<Statement> Body { get; } = [];
}

internal sealed class VariableDeclarator(Expression id, Expression? init) : Node
{
    public Expression Id { get; set; } = id;

    public Expression? Init { get; set; } = init;
}

internal sealed class VariableDeclaration(string kind) : Statement
{
    /// <summary><c>var</c>, <c>let</c> or <c>const</c>. Lowering keeps the kind; the printer prints <c>var</c>.</summary>
    public string Kind { get; set; } = kind;

    public List<VariableDeclarator> Declarations { get; } = [];
}

internal sealed class FunctionDeclaration(FunctionNode function) : Statement
{
    public FunctionNode Function { get; } = function;
}

internal sealed class ClassDeclaration(ClassNode @class) : Statement
{
    public ClassNode Class { get; } = @class;
}

internal sealed class ExpressionStatement(Expression expression) : Statement
{
    public Expression Expression { get; set; } = expression;

    /// <summary>A directive such as <c>"use strict"</c>, printed verbatim.</summary>
    public string? Directive { get; set; }
}

internal sealed class BlockStatement : Statement
{
    public List<Statement> Body { get; set; } = [];

    public int EndLine { get; set; }
}

internal sealed class EmptyStatement : Statement;

internal sealed class DebuggerStatement : Statement;

internal sealed class IfStatement(Expression test, Statement consequent, Statement? alternate) : Statement
{
    public Expression Test { get; set; } = test;

    public Statement Consequent { get; set; } = consequent;

    public Statement? Alternate { get; set; } = alternate;
}

internal sealed class ForStatement : Statement
{
    /// <summary>A <see cref="VariableDeclaration"/>, an <see cref="ExpressionStatement"/>, or null.</summary>
    public Statement? Init { get; set; }

    public Expression? Test { get; set; }

    public Expression? Update { get; set; }

    public Statement Body { get; set; } = null!;
}

internal sealed class ForInStatement : Statement
{
    /// <summary>A <see cref="VariableDeclaration"/> with one declarator, or an <see cref="ExpressionStatement"/> holding the target.</summary>
    public Statement Left { get; set; } = null!;

    public Expression Right { get; set; } = null!;

    public Statement Body { get; set; } = null!;

    public bool IsOf { get; init; }
}

internal sealed class WhileStatement(Expression test, Statement body) : Statement
{
    public Expression Test { get; set; } = test;

    public Statement Body { get; set; } = body;
}

internal sealed class DoWhileStatement(Statement body, Expression test) : Statement
{
    public Statement Body { get; set; } = body;

    public Expression Test { get; set; } = test;
}

internal sealed class ReturnStatement(Expression? argument) : Statement
{
    public Expression? Argument { get; set; } = argument;
}

internal sealed class BreakStatement(string? label) : Statement
{
    public string? Label { get; } = label;
}

internal sealed class ContinueStatement(string? label) : Statement
{
    public string? Label { get; } = label;
}

internal sealed class ThrowStatement(Expression argument) : Statement
{
    public Expression Argument { get; set; } = argument;
}

internal sealed class TryStatement : Statement
{
    public BlockStatement Block { get; set; } = null!;

    public Expression? Param { get; set; }

    public BlockStatement? Handler { get; set; }

    public BlockStatement? Finalizer { get; set; }
}

internal sealed class SwitchCase(Expression? test) : Node
{
    public Expression? Test { get; set; } = test;

    public List<Statement> Consequent { get; set; } = [];
}

internal sealed class SwitchStatement(Expression discriminant) : Statement
{
    public Expression Discriminant { get; set; } = discriminant;

    public List<SwitchCase> Cases { get; } = [];
}

internal sealed class LabeledStatement(string label, Statement body) : Statement
{
    public string Label { get; } = label;

    public Statement Body { get; set; } = body;
}
