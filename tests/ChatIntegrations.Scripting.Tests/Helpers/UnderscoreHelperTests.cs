using System.Diagnostics;
using FluentAssertions;
using Jint;
using Jint.Runtime;
using NUnit.Framework;

using ChatIntegrations.Scripting.Tests.Support;

namespace ChatIntegrations.Scripting.Tests.Helpers;

/// <summary>
/// SCR-50, SCR-55, SCR-56, SCR-42: the <c>_</c> and <c>s</c> helper sources without Node.js: literal results, the exact
/// function sets, no globals, statement counting, and the load cost.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class UnderscoreHelperTests
{
    /// <summary>SCR-56, in the order of the spec; <c>value</c> lives on the chain wrapper, as in underscore.</summary>
    private static readonly string[] UnderscoreFunctions =
    [
        "each", "forEach", "map", "reduce", "find", "filter", "where", "findWhere", "reject", "every", "some", "contains",
        "includes", "pluck", "max", "min", "sortBy", "groupBy", "indexBy", "countBy", "size", "partition", "toArray",
        "first", "last", "initial", "rest", "compact", "flatten", "without", "union", "intersection", "difference", "uniq",
        "zip", "object", "chunk", "indexOf", "findIndex", "range",
        "keys", "values", "pairs", "invert", "mapObject", "extend", "pick", "omit", "defaults", "clone", "has", "isEqual",
        "isEmpty", "isArray", "isObject", "isString", "isNumber", "isBoolean", "isDate", "isFunction", "isNull",
        "isUndefined",
        "identity", "times", "random", "uniqueId", "escape", "unescape", "now", "chain",
    ];

    /// <summary>SCR-55.</summary>
    private static readonly string[] UnderscoreStringFunctions =
    [
        "trim", "ltrim", "rtrim", "clean", "capitalize", "decapitalize", "titleize", "camelize", "classify", "underscored",
        "dasherize", "humanize", "slugify", "startsWith", "endsWith", "include", "count", "lines", "words", "chars",
        "truncate", "prune", "pad", "lpad", "rpad", "repeat", "reverse", "join", "insert", "splice", "surround", "quote",
        "unquote", "strLeft", "strRight", "strLeftBack", "strRightBack", "escapeHTML", "unescapeHTML", "stripTags",
        "isBlank", "toNumber", "toBoolean", "numberFormat", "replaceAll", "levenshtein", "toSentence",
    ];

    /// <summary>The SCR-55 MAY functions we add: underscore.string's own helpers and aliases.</summary>
    private static readonly string[] UnderscoreStringOptional =
    [
        "lrpad", "cleanDiacritics", "escapeRegExp", "strip", "lstrip", "rstrip", "center", "rjust", "ljust", "contains", "q",
        "toBool", "camelcase",
    ];

    private static Engine NewEngineWithHelpers(Engine? engine = null)
    {
        engine ??= ScriptRunner.NewEngine();
        engine.SetValue("_", engine.Evaluate(ScriptRunner.Helpers.Underscore));
        engine.SetValue("s", engine.Evaluate(ScriptRunner.Helpers.UnderscoreString));
        return engine;
    }

    private static string Eval(string expression) =>
        NewEngineWithHelpers().Evaluate("JSON.stringify(" + expression + ")").AsString();

    [TestCase("_.map([1, 2, 3], function (x) { return x * 2; })", "[2,4,6]")]
    [TestCase("_.pluck(_.where([{ a: 1, n: 'x' }, { a: 2, n: 'y' }], { a: 2 }), 'n')", "[\"y\"]")]
    [TestCase("_.sortBy([{ n: 3 }, { n: 1 }, { n: 2 }], 'n')", "[{\"n\":1},{\"n\":2},{\"n\":3}]")]
    [TestCase("_.groupBy(['one', 'two', 'three'], 'length')", "{\"3\":[\"one\",\"two\"],\"5\":[\"three\"]}")]
    [TestCase("[_.first([5, 4, 3]), _.last([5, 4, 3], 2), _.rest([1, 2, 3]), _.initial([1, 2, 3])]", "[5,[4,3],[2,3],[1,2]]")]
    [TestCase("[_.uniq([1, 2, 1, 3]), _.union([1, 2], [2, 3]), _.intersection([1, 2, 3], [2, 3, 4]), _.difference([1, 2, 3], [2])]", "[[1,2,3],[1,2,3],[2,3],[1,3]]")]
    [TestCase("[_.range(0, 10, 3), _.chunk([1, 2, 3], 2), _.zip([1, 2], ['a', 'b']), _.object(['a'], [1])]", "[[0,3,6,9],[[1,2],[3]],[[1,\"a\"],[2,\"b\"]],{\"a\":1}]")]
    [TestCase("[_.pick({ a: 1, b: 2 }, 'a'), _.omit({ a: 1, b: 2 }, 'a'), _.defaults({ a: 1 }, { a: 2, b: 3 }), _.invert({ a: 'x' })]", "[{\"a\":1},{\"b\":2},{\"a\":1,\"b\":3},{\"x\":\"a\"}]")]
    [TestCase("[_.isEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), _.isEmpty({}), _.has({ a: { b: 1 } }, ['a', 'b']), _.contains({ x: 3 }, 3)]", "[true,true,true,true]")]
    [TestCase("[_.escape('<a & \"b\">'), _.unescape('&lt;&#x27;&gt;'), _.times(3, _.identity), _.max([1, 9, 3]), _.min({ a: 4, b: 2 })]", "[\"&lt;a &amp; &quot;b&quot;&gt;\",\"<'>\",[0,1,2],9,2]")]
    [TestCase("_.chain([3, 1, 2]).sortBy(_.identity).reverse().map(function (x) { return x * 10; }).value()", "[30,20,10]")]
    [TestCase("[_.size('abc'), _.size(null), _.toArray({ a: 1 }), _.flatten([1, [2, [3]]]), _.compact([0, 1, '', 2])]", "[3,0,[1],[1,2,3],[1,2]]")]
    [Description("SCR-56: literal results of _ in Jint (no Node.js needed)")]
    public void Underscore_Expression_LiteralResult(string expression, string expectedJson)
    {
        Eval(expression).Should().Be(expectedJson);
    }

    [TestCase("[s.trim('  a  '), s.trim('_-a-_', '_-'), s.clean(' a   b '), s.trim(null), s.ltrim(undefined)]", "[\"a\",\"a\",\"a b\",\"\",\"\"]")]
    [TestCase("[s.capitalize('foo'), s.decapitalize('Foo'), s.titleize('my name is'), s.camelize('-moz-transform'), s.classify('some_class')]", "[\"Foo\",\"foo\",\"My Name Is\",\"MozTransform\",\"SomeClass\"]")]
    [TestCase("[s.underscored('MozTransform'), s.dasherize('MozTransform'), s.humanize('capitalize_dash_id'), s.slugify('Un \\u00e9l\\u00e9phant \\u00e0 l\\'or\\u00e9e')]", "[\"moz_transform\",\"-moz-transform\",\"Capitalize dash\",\"un-elephant-a-l-oree\"]")]
    [TestCase("[s.startsWith('image.gif', 'image'), s.endsWith('image.gif', 'gif'), s.include('foobar', 'ob'), s.count('Hello world', 'l')]", "[true,true,true,3]")]
    [TestCase("[s.lines('a\\nb'), s.words(' I  love you '), s.chars('ab'), s.truncate('Hello world', 5), s.prune('Hello, world', 5)]", "[[\"a\",\"b\"],[\"I\",\"love\",\"you\"],[\"a\",\"b\"],\"Hello...\",\"Hello...\"]")]
    [TestCase("[s.pad('1', 4, '0'), s.lpad('1', 3), s.rpad('1', 3, 'x'), s.repeat('ab', 2, '-'), s.reverse('abc'), s.join('-', 'a', 'b')]", "[\"0001\",\"  1\",\"1xx\",\"ab-ab\",\"cba\",\"a-b\"]")]
    [TestCase("[s.insert('Hello ', 6, 'you'), s.splice('abcdef', 1, 2, 'X'), s.surround('a', '*'), s.quote('a'), s.unquote('\"a\"')]", "[\"Hello you\",\"aXdef\",\"*a*\",\"\\\"a\\\"\",\"a\"]")]
    [TestCase("[s.strLeft('a_b_c', '_'), s.strRight('a_b_c', '_'), s.strLeftBack('a_b_c', '_'), s.strRightBack('a_b_c', '_')]", "[\"a\",\"b_c\",\"a_b\",\"c\"]")]
    [TestCase("[s.escapeHTML('<b>&\\'</b>'), s.unescapeHTML('&lt;b&gt;&#39;&#x41;'), s.stripTags('a<b>c</b>'), s.isBlank(' \\n'), s.isBlank(null)]", "[\"&lt;b&gt;&amp;&#39;&lt;/b&gt;\",\"<b>'A\",\"ac\",true,true]")]
    [TestCase("[s.toNumber('2.556', 2), s.toBoolean('true'), s.toBoolean('0'), s.numberFormat(1234567.891, 2), s.replaceAll('a.a', 'a', 'b')]", "[2.56,true,false,\"1,234,567.89\",\"b.b\"]")]
    [TestCase("[s.levenshtein('kitten', 'sitting'), s.toSentence(['a', 'b', 'c']), s.toSentence(['a', 'b', 'c'], ', ', ' and ', true), s('x y').titleize().value()]", "[3,\"a, b and c\",\"a, b, and c\",\"X Y\"]")]
    [Description("SCR-55: literal results of s in Jint (no Node.js needed)")]
    public void UnderscoreString_Expression_LiteralResult(string expression, string expectedJson)
    {
        Eval(expression).Should().Be(expectedJson);
    }

    [Test]
    [Description("SCR-56: _ has exactly the listed functions, chains with value(), and lacks template/debounce/throttle/delay/defer")]
    public void Underscore_FunctionSet_IsExactlyTheSpecList()
    {
        var engine = NewEngineWithHelpers();
        var names = engine.Evaluate("JSON.stringify(Object.keys(_))").AsString();
        System.Text.Json.JsonSerializer.Deserialize<string[]>(names).Should().BeEquivalentTo(UnderscoreFunctions);
        engine.Evaluate("JSON.stringify(Object.keys(_).filter(function (k) { return typeof _[k] !== 'function'; }))").AsString().Should().Be("[]");
        engine.Evaluate("typeof _.prototype.value + typeof _.chain([1]).value").AsString().Should().Be("functionfunction");
        foreach (var absent in new[] { "template", "debounce", "throttle", "delay", "defer" })
        {
            engine.Evaluate($"typeof _.{absent} + typeof _.prototype.{absent} + typeof _([]).{absent}").AsString()
                .Should().Be("undefinedundefinedundefined", $"_.{absent} needs eval or timers (SCR-56)");
        }
    }

    [Test]
    [Description("SCR-55: s has exactly the listed functions plus the optional ones we document")]
    public void UnderscoreString_FunctionSet_IsExactlyTheSpecListPlusOptional()
    {
        var engine = NewEngineWithHelpers();
        var names = engine.Evaluate("JSON.stringify(Object.keys(s))").AsString();
        System.Text.Json.JsonSerializer.Deserialize<string[]>(names).Should().BeEquivalentTo(UnderscoreStringFunctions.Concat(UnderscoreStringOptional));
        engine.Evaluate("JSON.stringify(Object.keys(s).filter(function (k) { return typeof s[k] !== 'function'; }))").AsString().Should().Be("[]");
        engine.Evaluate("typeof s.sprintf + typeof s.template").AsString().Should().Be("undefinedundefined");
    }

    [Test]
    [Description("SCR-50: evaluating the helper sources defines no global; each is one expression whose value is the helper")]
    public void HelperSources_Evaluate_DefineNoGlobals()
    {
        var engine = new Engine();
        const string Globals = "Object.getOwnPropertyNames(this).sort().join()";
        var before = engine.Evaluate(Globals).AsString();
        var u = engine.Evaluate(ScriptRunner.Helpers.Underscore);
        var s = engine.Evaluate(ScriptRunner.Helpers.UnderscoreString);
        engine.Evaluate(Globals).AsString().Should().Be(before);
        u.IsObject().Should().BeTrue();
        s.IsObject().Should().BeTrue();
        ReadHelper("Underscore.js").Should().NotContain("eval(").And.NotContain("new Function");
        ReadHelper("UnderscoreString.js").Should().NotContain("eval(").And.NotContain("new Function");
    }

    [Test]
    [Description("SCR-42: statements executed inside the JavaScript helpers count towards the statement limit")]
    public void HelperLoops_CountStatements_HitTheLimit()
    {
        var engine = NewEngineWithHelpers(NewLimitedEngine());
        var act = () => engine.Evaluate("_.times(100000, function (i) { return i; });");
        act.Should().Throw<StatementsCountOverflowException>();
        var act2 = () => engine.Evaluate("s.levenshtein(new Array(400).join('a'), new Array(400).join('b'));");
        act2.Should().Throw<StatementsCountOverflowException>();
    }

    private static Engine NewLimitedEngine()
    {
        var engine = new Engine(o => o.MaxStatements(20_000).LimitRecursion(256));
        return engine;
    }

    private static string ReadHelper(string file)
    {
        using var stream = typeof(IScriptHost).Assembly.GetManifestResourceStream("ChatIntegrations.Scripting.Jint.Runtime." + file)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
