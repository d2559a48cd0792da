namespace ChatIntegrations.Scripting.Tests.Helpers;

/// <summary>
/// The cases of <see cref="UnderscoreDifferentialTests"/>: one JavaScript expression a line, evaluated with <c>_</c> and
/// <c>s</c> in scope. Node.js evaluates them with the real underscore 1.13 and underscore.string 3.3, Jint 4 with
/// ours; the JSON of the results (or the fact that the call throws) must agree.
/// </summary>
internal static class UnderscoreDifferentialCases
{
    /// <summary>Cases for <c>_</c> (SCR-56).</summary>
    public const string Underscore = """
        _.each([1, 2, 3], function (v, i, l) { l[i] = v * 2; })
        (function () { var acc = []; _.each({ a: 1, b: 2 }, function (v, k) { acc.push(k + v); }); return acc; })()
        (function () { var acc = []; _.forEach('ab', function (v, i) { acc.push(v + i); }); return acc; })()
        (function () { var acc = []; _.each([1, 2], function (v) { acc.push(this.m * v); }, { m: 3 }); return acc; })()
        _.each(null, function () {})
        _.each(undefined, function () {})
        _.map([1, 2, 3], function (x) { return x * -2; })
        _.map({ a: 1, b: 2 }, function (v, k, o) { return k + v + _.size(o); })
        _.map([{ a: { b: 1 } }, { a: null }, {}], ['a', 'b'])
        _.map([{ n: 'x' }, { n: 'y' }, null], 'n')
        _.map([{ a: 1, b: 2 }, { a: 1 }], { a: 1, b: 2 })
        _.map([1, 2], null)
        _.map(null, function (x) { return x; })
        _.map('h\u00e9\ud83d\ude00', _.identity)
        _.map([1, 2], function (x) { return this.k + x; }, { k: 10 })
        _.reduce([1, 2, 3], function (m, x) { return m + x; }, 0)
        _.reduce([1, 2, 3], function (m, x) { return m + x; })
        _.reduce([], function (m, x) { return m + x; })
        _.reduce([], function (m, x) { return m + x; }, 'init')
        _.reduce({ a: 1, b: 2 }, function (m, v, k) { return m + k + v; }, '')
        _.reduce(['a', 'b'], function (m, v, i, l) { return m + v + i + l.length + this.x; }, '', { x: '!' })
        _.find([1, 2, 3, 4], function (x) { return x % 2 === 0; })
        _.find([1, 3], function (x) { return x > 5; })
        _.find({ a: 1, b: 4 }, function (x) { return x > 2; })
        _.find([{ a: 1 }, { a: 2, b: 3 }], { a: 2 })
        _.find([{ a: 0 }, { a: 5 }], 'a')
        _.find(null, 'a')
        _.filter([1, 2, 3, 4, -5], function (x) { return x % 2; })
        _.filter({ a: 1, b: 2 }, function (v) { return v > 1; })
        _.filter([{ a: 1 }, { a: 2 }, { b: 1 }], 'a')
        _.filter([{ a: 1, b: 1 }, { a: 2 }], { a: 1 })
        _.filter(undefined, 'a')
        _.where([{ a: 1, b: 2 }, { a: 1, b: 3 }, { a: 2 }], { a: 1 })
        _.where([{ a: 1 }, null], {})
        _.where({ x: { a: 1 }, y: { a: 2 } }, { a: 2 })
        _.findWhere([{ a: 1, b: 2 }, { a: 1, b: 3 }], { b: 3 })
        _.findWhere([{ a: 1 }], { a: 3 })
        _.reject([1, 2, 3, 4], function (x) { return x % 2; })
        _.reject([{ a: true }, { a: false }], 'a')
        _.reject({ a: 1, b: 2 }, function (v) { return v === this.v; }, { v: 1 })
        _.every([2, 4], function (x) { return x % 2 === 0; })
        _.every([2, 3], function (x) { return x % 2 === 0; })
        _.every([])
        _.every([1, 0])
        _.every([{ a: 1 }, { a: 1, b: 2 }], { a: 1 })
        _.every({ a: 1, b: 0 })
        _.some([0, null, 1])
        _.some([])
        _.some([{ a: 0 }, { a: 2 }], 'a')
        _.some({ a: 0, b: 0 }, _.identity)
        _.contains([1, 2, 3], 3)
        _.contains([1, 2, 3], 1, 1)
        _.contains([1, 2, 3], 3, -1)
        _.includes({ a: 'x' }, 'x')
        _.contains('abc', 'b')
        _.contains([NaN], NaN)
        _.contains(null, 1)
        _.pluck([{ name: 'moe', age: 40 }, { name: 'larry' }, {}], 'name')
        _.pluck({ a: { x: 1 }, b: { x: 2 } }, 'x')
        _.max([1, 5, -3])
        _.max([])
        _.max({ a: 3, b: 9 })
        _.max([{ age: 40 }, { age: 60 }, { age: 50 }], function (o) { return o.age; })
        _.max([{ age: 40 }, { age: 60 }], 'age')
        _.max(['a', 'c', 'b'])
        _.max([null, undefined, 2])
        _.max([1, 2, 3], 0)
        _.min([10, 5, 100, 2, 1000])
        _.min([])
        _.min([{ v: 3 }, { v: -2 }], 'v')
        _.min(null)
        _.sortBy([1, 2, 3, 4, 5, 6], function (n) { return Math.sin(n); })
        _.sortBy([{ n: 'b', a: 2 }, { n: 'a', a: 1 }, { n: 'c' }, { n: 'd', a: 1 }], 'a')
        _.sortBy(['banana', 'apple', 'Cherry', '\u00e9clair'])
        _.sortBy({ x: 3, y: 1, z: 2 })
        _.sortBy([3, undefined, 1, null, 2])
        _.sortBy([{ a: { b: 2 } }, { a: { b: 1 } }], ['a', 'b'])
        _.groupBy([1.3, 2.1, 2.4], function (n) { return Math.floor(n); })
        _.groupBy(['one', 'two', 'three'], 'length')
        _.groupBy({ a: 1, b: 2, c: 3 }, function (v) { return v % 2 ? 'odd' : 'even'; })
        _.groupBy([], 'x')
        _.indexBy([{ id: 'a', v: 1 }, { id: 'b', v: 2 }, { id: 'a', v: 3 }], 'id')
        _.countBy([1, 2, 3, 4, 5], function (n) { return n % 2 === 0 ? 'even' : 'odd'; })
        _.countBy(['a', 'b', 'a'])
        _.size([1, 2, 3])
        _.size({ one: 1, two: 2 })
        _.size('h\u00e9llo')
        _.size(null)
        _.size(undefined)
        _.size(5)
        _.partition([0, 1, 2, 3, 4, 5], function (x) { return x % 2; })
        _.partition({ a: 1, b: 0 }, _.identity)
        _.partition([{ ok: true }, { ok: false }], 'ok')
        _.toArray({ a: 1, b: 2 })
        _.toArray('a\ud83d\ude00b')
        _.toArray('')
        _.toArray(null)
        _.toArray([1, [2]])
        (function () { return _.toArray(arguments); })(1, 2)
        _.first([5, 4, 3])
        _.first([5, 4, 3], 2)
        _.first([5, 4, 3], 0)
        _.first([], 2)
        _.first(null)
        _.first([1, 2, 3], -1)
        _.map([[1, 2], [3, 4]], _.first)
        _.last([5, 4, 3])
        _.last([5, 4, 3], 2)
        _.last([5, 4, 3], 10)
        _.last([])
        _.last(null, 3)
        _.initial([5, 4, 3, 2])
        _.initial([5, 4, 3, 2], 3)
        _.initial([], 1)
        _.rest([5, 4, 3, 2])
        _.rest([5, 4, 3, 2], 2)
        _.rest('abc')
        _.compact([0, 1, false, 2, '', 3, null, undefined, NaN, 'a'])
        _.compact(null)
        _.flatten([1, [2], [3, [[4]]]])
        _.flatten([1, [2], [3, [[4]]]], true)
        _.flatten([1, [2], [3, [[4]]]], 2)
        _.flatten([1, [2, [3]]], 0)
        _.flatten([])
        _.flatten([1, 'ab', { length: 1, 0: 'x' }])
        _.without([1, 2, 1, 0, 3, 1, 4], 0, 1)
        _.without([1, NaN, 2], NaN)
        _.without([[1], 2], [1])
        _.without(null, 1)
        _.union([1, 2, 3], [101, 2, 1, 10], [2, 1])
        _.union([1, [2]], 3, [[3]])
        _.union()
        _.intersection([1, 2, 3], [101, 2, 1, 10], [2, 1])
        _.intersection([1, 1, 2], [1, 2])
        _.intersection([1, 2], null)
        _.intersection(['a', 'b'], 'abc')
        _.difference([1, 2, 3, 4, 5], [5, 2, 10])
        _.difference([1, 2, 3], [2], 3)
        _.difference([1, 2, 3])
        _.uniq([1, 2, 1, 4, 1, 3])
        _.uniq([1, 1, 2, 2, 3], true)
        _.uniq([1, 2, 1, 3], true)
        _.uniq([{ a: 1 }, { a: 2 }, { a: 1 }], 'a')
        _.uniq([1.1, 1.6, 2.2, 2.9], function (x) { return Math.floor(x); })
        _.uniq([1, 2, 3, 4], false, function (x) { return x % this.m; }, { m: 2 })
        _.uniq([NaN, NaN, 0, -0])
        _.uniq(null)
        _.zip(['moe', 'larry', 'curly'], [30, 40, 50], [true, false, false])
        _.zip([1, 2], [3])
        _.zip()
        _.zip([], [1])
        _.object(['moe', 'larry', 'curly'], [30, 40, 50])
        _.object([['one', 1], ['two', 2], ['three', 3]])
        _.object(null)
        _.object(['a', 'b'])
        _.chunk([1, 2, 3, 4, 5], 2)
        _.chunk([1, 2, 3], 0)
        _.chunk([1, 2, 3], -1)
        _.chunk([], 3)
        _.chunk('abcde', 2)
        _.indexOf([1, 2, 3, 2], 2)
        _.indexOf([1, 2, 3, 2], 2, 2)
        _.indexOf([1, 2, 3, 2], 2, -1)
        _.indexOf([1, 2, 3, 2], 2, -10)
        _.indexOf([10, 20, 30, 40], 30, true)
        _.indexOf([10, 20, 30, 40], 35, true)
        _.indexOf([1, NaN, NaN], NaN)
        _.indexOf([1, NaN, NaN], NaN, 2)
        _.indexOf(null, 1)
        _.indexOf('abc', 'c')
        _.findIndex([4, 6, 8, 12], function (x) { return x > 6; })
        _.findIndex([4, 6], function (x) { return x > 60; })
        _.findIndex([{ a: 1 }, { a: 2 }], { a: 2 })
        _.findIndex([{ a: 0 }, { a: 2 }], 'a')
        _.findIndex(null, 'a')
        _.range(10)
        _.range(1, 11)
        _.range(0, 30, 5)
        _.range(0, -10, -1)
        _.range(0)
        _.range(5, 1)
        _.range(0, 1, 0.25)
        _.range(-3)
        _.range(1, 5, -1)
        _.keys({ one: 1, two: 2, three: 3 })
        _.keys([1, 2])
        _.keys('abc')
        _.keys(null)
        _.keys(5)
        _.values({ one: 1, two: 2, three: { x: 3 } })
        _.values('ab')
        _.values(null)
        _.pairs({ one: 1, two: 2 })
        _.pairs([])
        _.invert({ Moe: 'Moses', Larry: 'Louis', Curly: 'Jerome' })
        _.invert({ a: 1, b: 1 })
        _.mapObject({ start: 5, end: 12 }, function (val, key) { return val + 5 + key; })
        _.mapObject({ a: { b: 1 } }, 'b')
        _.mapObject(null, _.identity)
        _.mapObject([1, 2], function (v) { return v * 2; })
        _.extend({ name: 'moe' }, { age: 50 }, null, { name: 'x' })
        _.extend(null, { a: 1 })
        _.extend({ a: 1 })
        _.extend({}, 'ab')
        _.extend({}, [7, 8])
        (function () { function P() { this.own = 1; } P.prototype.inh = 2; return _.extend({}, new P()); })()
        _.pick({ name: 'moe', age: 50, userid: 'moe1' }, 'name', 'age')
        _.pick({ name: 'moe', age: 50, userid: 'moe1' }, ['name', ['userid']])
        _.pick({ name: 'moe', age: 50, userid: 'moe1' }, function (value, key, object) { return _.isNumber(value); })
        _.pick({ a: 1, b: 2 }, function (v) { return v === this.x; }, { x: 2 })
        _.pick(null, 'a')
        _.pick({ a: undefined }, 'a', 'missing')
        _.pick('abc', 'length', '0')
        _.omit({ name: 'moe', age: 50, userid: 'moe1' }, 'userid')
        _.omit({ name: 'moe', age: 50, userid: 'moe1' }, ['name', 'age'])
        _.omit({ name: 'moe', age: 50 }, function (value) { return _.isNumber(value); })
        _.omit({ 1: 'a', 2: 'b' }, 1)
        _.omit(null, 'a')
        _.defaults({ flavor: 'chocolate' }, { flavor: 'vanilla', sprinkles: 'lots' }, { extra: 1, sprinkles: 'none' })
        _.defaults({ a: undefined, b: null }, { a: 1, b: 2 })
        _.defaults(null, { a: 1 })
        _.clone({ name: 'moe', list: [1] })
        _.clone([1, { a: 2 }])
        _.clone('str')
        _.clone(null)
        _.has({ a: 1, b: 2, c: 3 }, 'b')
        _.has({ a: { b: { c: 1 } } }, ['a', 'b', 'c'])
        _.has({ a: { b: 1 } }, ['a', 'x'])
        _.has({ a: 1 }, [])
        _.has(null, 'a')
        _.has({ a: 1 }, 'toString')
        _.has([1], 0)
        _.isEqual({ name: 'moe', luckyNumbers: [13, 27, 34] }, { name: 'moe', luckyNumbers: [13, 27, 34] })
        _.isEqual({ a: 1 }, { a: 1, b: undefined })
        _.isEqual([1, [2, { x: 3 }]], [1, [2, { x: 3 }]])
        _.isEqual([1, 2], [2, 1])
        _.isEqual(0, -0)
        _.isEqual(NaN, NaN)
        _.isEqual(new Date(5), new Date(5))
        _.isEqual(/a/g, /a/g)
        _.isEqual(/a/g, /a/i)
        _.isEqual('a', new String('a'))
        _.isEqual(1, '1')
        _.isEqual(null, undefined)
        _.isEqual([], {})
        _.isEqual({}, Object.create(null))
        (function () { var a = { x: 1 }; a.self = a; var b = { x: 1 }; b.self = b; return _.isEqual(a, b); })()
        _.isEqual(_([1]), [1])
        _.isEqual(function () {}, function () {})
        _.isEmpty([])
        _.isEmpty([1])
        _.isEmpty({})
        _.isEmpty({ a: 1 })
        _.isEmpty('')
        _.isEmpty(' ')
        _.isEmpty(null)
        _.isEmpty(undefined)
        _.isEmpty(0)
        _.isEmpty(1)
        _.isEmpty(true)
        _.isEmpty({ length: 0 })
        (function () { return _.isEmpty(arguments); })()
        [_.isArray([]), _.isArray({ length: 0 }), _.isArray('a'), _.isArray(null), _.isArray(arguments)]
        [_.isObject({}), _.isObject([]), _.isObject(function () {}), _.isObject(null), _.isObject('s'), _.isObject(1), _.isObject(new String('s'))]
        [_.isString('s'), _.isString(new String('s')), _.isString(1), _.isString(null), _.isString(undefined), _.isString([])]
        [_.isNumber(1), _.isNumber(NaN), _.isNumber(-Infinity), _.isNumber('1'), _.isNumber(new Number(1)), _.isNumber(null)]
        [_.isBoolean(true), _.isBoolean(false), _.isBoolean(new Boolean(false)), _.isBoolean(0), _.isBoolean(null), _.isBoolean('true')]
        [_.isDate(new Date()), _.isDate(Date.now()), _.isDate('2020-01-01'), _.isDate(null)]
        [_.isFunction(function () {}), _.isFunction(_), _.isFunction({}), _.isFunction(null), _.isFunction(Math.max)]
        [_.isNull(null), _.isNull(undefined), _.isNull(0), _.isNull('')]
        [_.isUndefined(undefined), _.isUndefined(null), _.isUndefined(void 0), _.isUndefined({}.x), _.isUndefined(0)]
        _.identity({ a: 1 })
        _.identity()
        _.times(3, function (n) { return n * n; })
        _.times(0, _.identity)
        _.times(-2, _.identity)
        _.times(2, function (n) { return this.p + n; }, { p: 'x' })
        _.times(3)
        [_.random(5, 5), _.random(0), _.random(-3, -3)]
        (function () { for (var i = 0; i < 200; i++) { var r = _.random(-2, 3); if (r < -2 || r > 3 || r !== Math.floor(r)) { return 'bad ' + r; } } return 'ok'; })()
        (function () { for (var i = 0; i < 100; i++) { var r = _.random(4); if (r < 0 || r > 4 || r !== Math.floor(r)) { return 'bad ' + r; } } return 'ok'; })()
        [_.uniqueId(), _.uniqueId('contact_'), _.uniqueId(''), _.uniqueId(null)]
        _.escape('Curly, Larry & Moe <b>"quote"</b> \'single\' `back`')
        _.escape(null)
        _.escape(undefined)
        _.escape(123)
        _.escape('h\u00e9 \ud83d\ude00')
        _.unescape('Curly, Larry &amp; Moe &lt;b&gt;&quot;&#x27;&#x60;&#39;&amp;amp;')
        _.unescape(null)
        _.unescape(_.escape('<&>"\'`'))
        [typeof _.now(), _.now() > 1600000000000]
        _.chain([1, 2, 3]).map(function (x) { return x * 2; }).filter(function (x) { return x > 2; }).value()
        _.chain([{ n: 'b', a: 2 }, { n: 'a', a: 1 }]).sortBy('a').pluck('n').first().value()
        _.chain([3, 1, 2]).sortBy(_.identity).reverse().value()
        _.chain({ a: 1, b: 2 }).keys().map(function (k) { return k.toUpperCase(); }).join('-').value()
        _.chain([1, 2, 3]).push(4).shift().value()
        _.chain([1, 2]).concat([3]).slice(1).value()
        _([1, 2, 3]).map(function (x) { return x + 1; })
        _([1, 2, 3]).chain().first(2).value()
        _.chain(null).compact().value()
        _([1, [2]]).flatten()
        JSON.stringify(_.chain([1]).map(_.identity))
        String(_([1, 2]))
        _([1, 2]).value()
        _.chain([5, 1]).sort().value()
        """;

    /// <summary>Cases for <c>s</c> (SCR-55, and the optional functions we provide).</summary>
    public const string UnderscoreString = """
        [s.trim('  foobar   '), s.trim('_-foobar-_', '_-'), s.trim(null), s.trim(undefined), s.trim(123), s.trim('\u00a0\ufeff x \u3000\n')]
        [s.trim('abcxcba', 'a-c'), s.trim('xx', 'x'), s.trim('[a]', '[]'), s.trim('a.b.', '.'), s.trim(' a ', '')]
        [s.ltrim('  foo  '), s.ltrim('foooof', 'f'), s.ltrim(null), s.rtrim('  foo  '), s.rtrim('foooof', 'f'), s.rtrim(undefined, 'x')]
        [s.trim('--a--', /-/), s.ltrim('--a--', /-/), s.rtrim('--a--', /-/)]
        [s.clean(' foo    bar   '), s.clean(null), s.clean('a\t\n b'), s.clean('a\u00a0\u00a0b')]
        [s.capitalize('foo Bar'), s.capitalize('FOO Bar', true), s.capitalize(''), s.capitalize(null), s.capitalize('\u00e9t\u00e9'), s.capitalize(123)]
        [s.decapitalize('Foo Bar'), s.decapitalize('FOO'), s.decapitalize(null), s.decapitalize('\u00c9T\u00c9')]
        [s.titleize('the titleize string method'), s.titleize('the-titleize-string_method'), s.titleize('  x  y'), s.titleize('-ab'), s.titleize('a--b c'), s.titleize(null), s.titleize('\u00e9t\u00e9 caf\u00e9'), s.titleize('ALL CAPS')]
        [s.camelize('the_camelize_string_method'), s.camelize('-the-camelize-string-method'), s.camelize('-the-camelize-string-method', true), s.camelize('  a  b__c  '), s.camelize(null), s.camelize('a-'), s.camelize('Moz_transform', false)]
        [s.classify('some_class_name'), s.classify('my wonderfull class_name'), s.classify('my wonderfull.class.name'), s.classify('\u00e9cole-x'), s.classify(null), s.classify('123abc')]
        [s.underscored('the-underscored-string-method'), s.underscored('theUnderscoredStringMethod'), s.underscored('TheUnderscoredStringMethod'), s.underscored(' the underscored  string method'), s.underscored(null), s.underscored('aBC1Def')]
        [s.dasherize('the_dasherize_string_method'), s.dasherize('TheDasherizeStringMethod'), s.dasherize('thisIsATest'), s.dasherize('  the dasherize string method  '), s.dasherize(null), s.dasherize('--a__b')]
        [s.humanize('the_humanize_string_method'), s.humanize('ThehumanizeStringMethod'), s.humanize('-ThehumanizeStringMethod'), s.humanize('the humanize string method'), s.humanize('the humanize_id string method_id'), s.humanize('   capitalize dash-CamelCase_underscore trim  '), s.humanize(null), s.humanize('id')]
        [s.slugify('Jack & Jill like numbers 1,2,3 and 4 and silly characters ?%.$!/'), s.slugify('Un \u00e9l\u00e9phant \u00e0 l\'or\u00e9e du bois'), s.slugify('I know latin characters: \u00e1 \u00ed \u00f3 \u00fa \u00e7 \u00e3 \u00f5 \u00f1 \u00fc \u0103 \u0219 \u021b'), s.slugify('I am a word too, even though I am but a single letter: i!'), s.slugify('Stra\u00dfe \u00c6\u00e6 \u0141\u00f3d\u017a'), s.slugify(null), s.slugify('\ud83d\ude00 emoji')]
        [s.startsWith('foobar', 'foo'), s.startsWith('oobar', 'foo'), s.startsWith('foobar', 'bar', 3), s.startsWith('foobar', 'bar', -1), s.startsWith('', ''), s.startsWith(null, ''), s.startsWith(12345, 123), s.startsWith('foo', 'foo', 10)]
        [s.endsWith('foobar', 'bar'), s.endsWith('foobar', 'foo'), s.endsWith('foobar', 'foo', 3), s.endsWith('foobar', 'bar', 10), s.endsWith('', ''), s.endsWith(null, ''), s.endsWith(12345, 45), s.endsWith('foobar', 'ob', -1)]
        [s.include('foobar', 'bar'), s.include('foobar', 'buzz'), s.include(12345, 34), s.include('', ''), s.include(null, ''), s.include(null, 'null'), s.include('a', null), s.include('nullx', null)]
        [s.count('Hello world', 'l'), s.count('Hello world', 'Hello'), s.count('Hello world', 'foo'), s.count('x.xx....x.x', 'x'), s.count('aaaa', 'aa'), s.count('', 'a'), s.count(null, 'a'), s.count('a', ''), s.count(12345, 3)]
        [s.lines('Hello\nWorld'), s.lines('Hello World'), s.lines(''), s.lines(null), s.lines('a\r\nb\rc\n\nd'), s.lines(123)]
        [s.words('I love you!'), s.words(' I    love   you!  '), s.words('I_love_you!', '_'), s.words('I-love-you!', /-/), s.words(123), s.words(null), s.words(''), s.words('   '), s.words('a\u00a0b\u3000c')]
        [s.chars('Hello'), s.chars(12345), s.chars(null), s.chars(''), s.chars('a\ud83d\ude00')]
        [s.truncate('Hello world', 6, 'read more'), s.truncate('Hello world', 5), s.truncate('Hello', 10), s.truncate('', 10), s.truncate(null, 10), s.truncate('Hello world', -1), s.truncate('Hello world', '3'), s.truncate(1234, 2)]
        [s.prune('Hello, world', 5), s.prune('Hello, world', 8), s.prune('Hello, world', 5, ' (read a lot more)'), s.prune('Hello, cruel world', 15), s.prune('Hello', 10), s.prune('Hello world', 5, 'read a lot more'), s.prune('abcdefg', 3), s.prune(null, 5), s.prune('\u00e9t\u00e9 d\u00e9j\u00e0 fini', 7), s.prune('a b\nc d e f', 6), s.prune('Hello, world', 0)]
        [s.pad('1', 8), s.pad('1', 8, '0'), s.pad('1', 8, '0', 'left'), s.pad('1', 8, '0', 'right'), s.pad('1', 8, '0', 'both'), s.pad('foo', 8, '0', 'both'), s.pad('foo', 7, '0', 'both'), s.pad('foo', 7, '!@$%dofjrofj', 'both'), s.pad('', 2), s.pad(null, 3, 'x'), s.pad('abc', 2), s.pad('1', 4, 7), s.pad('1', -5)]
        [s.lpad('1', 8), s.lpad('1', 8, '0'), s.lpad(1, 3, '0'), s.lpad(null, 2), s.rpad('1', 8), s.rpad('1', 8, '0'), s.rpad(1, 3, '0'), s.rpad(null, 2, 'ab')]
        [s.repeat('foo'), s.repeat('foo', 3), s.repeat('foo', '3'), s.repeat(123, 2), s.repeat('foo', 3, 'bar'), s.repeat('foo', 3, 123), s.repeat(null, 3), s.repeat('x', -2), s.repeat('x', 0, '-'), s.repeat('x', 1, '-'), s.repeat({ toString: function () { return 'o'; } }, 2)]
        [s.reverse('foo'), s.reverse('saippuakauppias'), s.reverse(123), s.reverse(123.45), s.reverse(null), s.reverse('')]
        [s.join('', 'foo', 'bar'), s.join(null, 'foo', 'bar'), s.join(1, 2, 3, 4), s.join('|', 'foo', 'bar', 'baz'), s.join('', 2, 3, null), s.join(null, null, null), s.join('-')]
        [s.insert('Hello ', 6, 'Jessy'), s.insert('Hello ', 100, 'Jessy'), s.insert('', 100, 'Jessy'), s.insert(null, 100, 'Jessy'), s.insert(12345, 6, 'Jessy'), s.insert('abc', -1, 'X'), s.insert('abc', 1)]
        [s.splice('https://edtsech@bitbucket.org/edtsech/underscore.strings', 30, 7, 'epeli'), s.splice(12345, 1, 2, 321), s.splice('abc', -1, 1, 'Z'), s.splice(null, 0, 0, 'x'), s.splice('abcdef', 2, 2)]
        [s.surround('foo', 'ab'), s.surround('foo', ''), s.surround('foo', null), s.surround(null, '"'), s.surround(1, 2)]
        [s.quote('foo'), s.quote('foo', '\''), s.quote('"foo"'), s.quote(1), s.quote(null), s.quote('x', 0)]
        [s.unquote('"foo"'), s.unquote('""foo""'), s.unquote('"1" '), s.unquote('\'foo\'', '\''), s.unquote('"'), s.unquote(''), s.unquote('\'x\'')]
        s.unquote(null)
        [s.strLeft('This_is_a_test_string', '_'), s.strLeft('This_is_a_test_string', 'test'), s.strLeft('This_is_a_test_string', 'x'), s.strLeft(null, '_'), s.strLeft('abc', ''), s.strLeft('abc', null), s.strLeft(123, 2)]
        [s.strRight('This_is_a_test_string', '_'), s.strRight('This_is_a_test_string', 'test'), s.strRight('This_is_a_test_string', 'x'), s.strRight(null, '_'), s.strRight('abc', ''), s.strRight(123, 2)]
        [s.strLeftBack('This_is_a_test_string', '_'), s.strLeftBack('This_is_a_test_string', 'x'), s.strLeftBack(null, '_'), s.strLeftBack('abc', ''), s.strLeftBack('abc', null), s.strLeftBack(12321, 2)]
        [s.strRightBack('This_is_a_test_string', '_'), s.strRightBack('This_is_a_test_string', 'x'), s.strRightBack(null, '_'), s.strRightBack('abc', ''), s.strRightBack(12321, 2)]
        [s.escapeHTML('<div>Blah & "blah" & \'blah\'</div>'), s.escapeHTML('&lt;'), s.escapeHTML('\u00a2\u00a3\u00a5\u20ac\u00a9\u00ae'), s.escapeHTML(5), s.escapeHTML(null), s.escapeHTML('`\u00e9')]
        [s.unescapeHTML('&lt;div&gt;Blah &amp; &quot;blah&quot; &amp; &apos;blah&#39;&lt;/div&gt;'), s.unescapeHTML('&amp;lt;'), s.unescapeHTML('&#39;'), s.unescapeHTML('&#0039;'), s.unescapeHTML('&#x27;'), s.unescapeHTML('&#X27;'), s.unescapeHTML('&#x0027;'), s.unescapeHTML('&nbsp;&cent;&pound;&yen;&euro;&copy;&reg;'), s.unescapeHTML('&foo;&;&#;&#x;&#xZZ;&verylongentityname;&'), s.unescapeHTML(null), s.unescapeHTML(5), s.unescapeHTML('&#65;&#x42;&#x1F600;')]
        s.unescapeHTML('&#12a;')
        [s.stripTags('a <a href="#">link</a>'), s.stripTags('a <a href="#">link</a><script>alert("hello world!")</scr' + 'ipt>'), s.stripTags('<html><body>hello world</body></html>'), s.stripTags(123), s.stripTags(null), s.stripTags('a < b > c'), s.stripTags('<>x</>')]
        [s.isBlank(''), s.isBlank(null), s.isBlank(undefined), s.isBlank(' '), s.isBlank('\n\t\u00a0\ufeff\u3000'), s.isBlank(' a '), s.isBlank(0), s.isBlank(false), s.isBlank('\u200b')]
        [s.toNumber('not a number'), s.toNumber(0), s.toNumber('0'), s.toNumber('0.0'), s.toNumber('0.1'), s.toNumber('0.1', 1), s.toNumber('  0.1 '), s.toNumber('0000'), s.toNumber('2.345'), s.toNumber('2.345', NaN), s.toNumber('2.345', 2), s.toNumber('2.344', 2), s.toNumber('2', 3), s.toNumber(1234.5678, -2), s.toNumber(null), s.toNumber(undefined), s.toNumber(-1.5), s.toNumber('-2.5')]
        [s.toNumber('2.345', Infinity), s.toNumber('1e3', 1), s.toNumber(''), s.toNumber(true)]
        [s.toBoolean('false'), s.toBoolean('true'), s.toBoolean('1'), s.toBoolean('0'), s.toBoolean('Hello'), s.toBoolean('  true  '), s.toBoolean('TRUE'), s.toBoolean(1), s.toBoolean(0), s.toBoolean(2), s.toBoolean(null), s.toBoolean(undefined), s.toBoolean({}), s.toBoolean([]), s.toBoolean(''), s.toBoolean('foo', ['foo', 'bar']), s.toBoolean('bar', ['foo', 'bar']), s.toBoolean('bar', ['foo'], ['bar']), s.toBoolean('yes', [/^y/i]), s.toBoolean('no', 'yes', 'no'), s.toBoolean('YES', 'yes')]
        s.toBoolean('no', [/^y/], [/^n/])
        s.toBoolean('x', [/^y/])
        [s.numberFormat(9000), s.numberFormat(9000, 0), s.numberFormat(9000, 0, '', ''), s.numberFormat(90000, 2), s.numberFormat(1000.754), s.numberFormat(1000.754, 2), s.numberFormat(1000.755, 3), s.numberFormat(1000.754, 0, ',', '.'), s.numberFormat(1000.754, 2, ',', '.'), s.numberFormat(1000000.754, 2, ',', '.'), s.numberFormat(1000000000), s.numberFormat(100000000), s.numberFormat('not number'), s.numberFormat(), s.numberFormat(null, '.', ','), s.numberFormat(undefined, '.', ','), s.numberFormat(-5000), s.numberFormat(-5000.25, 1), s.numberFormat(0.5), s.numberFormat(1e21), s.numberFormat(123456789.123, 2, '.', ' '), s.numberFormat(-0.001, 2)]
        s.numberFormat(12345.6789, -1)
        [s.numberFormat(-5000.25, 1), s.numberFormat(0.125, 2), s.numberFormat(1.005, 2), s.numberFormat(2.5), s.numberFormat(-2.5), s.numberFormat(123.456, 20)]
        s.numberFormat('1000')
        [s.replaceAll('a', 'a', 'b'), s.replaceAll('aa', 'a', 'b'), s.replaceAll('aca', 'a', 'b'), s.replaceAll('c', 'a', 'b'), s.replaceAll('AAa', 'a', 'b', true), s.replaceAll('Aa', 'a', 'b'), s.replaceAll('a.b.c', '\\.', '-'), s.replaceAll('abc', 'b', '[$&]'), s.replaceAll(null, 'a', 'b'), s.replaceAll('2015-01-02', '(\\d+)-(\\d+)', '$2/$1')]
        [s.levenshtein('kitten', 'kittah'), s.levenshtein('Hello world', 'Ciao mondo'), s.levenshtein('', 'abc'), s.levenshtein('abc', null), s.levenshtein(null, null), s.levenshtein(123, 1234), s.levenshtein('\u00e9t\u00e9', 'ete'), s.levenshtein('sitting', 'kitten'), s.levenshtein('a', 'a'), s.levenshtein('flaw', 'lawn')]
        [s.toSentence(['jQuery']), s.toSentence(['jQuery', 'MooTools']), s.toSentence(['jQuery', 'MooTools', 'Prototype']), s.toSentence(['jQuery', 'MooTools', 'Prototype', 'YUI']), s.toSentence(['jQuery', 'MooTools', 'Prototype'], ', ', ' or '), s.toSentence(['jQuery', 'MooTools', 'Prototype'], ', ', ' and ', true), s.toSentence(['jQuery', 'MooTools'], ', ', ' and ', true), s.toSentence(['a', 'b', 'c'], ' - ', ' & ', true), s.toSentence([1, null, 3]), s.toSentence('abc'.split(''), '; ')]
        s.toSentence([])
        s.toSentence(null)
        [s.lrpad('1', 8), s.lrpad('1', 8, '0'), s.center('a', 5, '*'), s.rjust('1', 3, '0'), s.ljust('1', 3, '0'), s.strip('  x  '), s.lstrip(' x '), s.rstrip(' x '), s.contains('abc', 'b'), s.q('x'), s.toBool('true'), s.camelcase('a-b')]
        [s.cleanDiacritics('\u00c0\u00e9\u00ee\u00f5\u00fc\u00df\u0142\u00c6 \u00ff\u0178\u021a plain'), s.cleanDiacritics(null), s.escapeRegExp('/path/to/resource.html?search=query'), s.escapeRegExp('a*b+c?d^e$f(g)h[i]j{k}l|m\\n'), s.escapeRegExp(null)]
        [s('foo bar').capitalize().value(), s('  hi  ').trim().titleize().value(), s('abc').include('b'), s(null).trim().value(), s('a-b').camelize().value(), s('x').tap(function (v) { return v + '!'; }).value()]
        """;
}
