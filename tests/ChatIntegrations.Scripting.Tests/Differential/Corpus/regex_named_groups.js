// SCR-61: named groups (exec, match, replace with $<n> and a function, \k, matchAll groups), the s flag, new RegExp
const date = /(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})/;
const m = date.exec('on 2024-05-17!');
const sm = '1999-12-31'.match(date);
const swapped = '2024-05-17'.replace(date, '$<day>/$<month>/$<year>');
const viaFn = '2024-05-17 and 2023-01-02'.replace(/(?<y>\d{4})-(?<m>\d\d)-(?<d>\d\d)/g, (all, y, mo, d, offset, str, groups) => groups.d + '.' + groups.m + '.' + y + '@' + offset);
const mixed = /(a)(?<named>b)(c)/.exec('abc');
const backref = /(?<q>['"])(?<body>.*?)\k<q>/.exec(`say "hi 'there'" now`);
const all = [...'k1=v1;k2=v2'.matchAll(/(?<k>\w+)=(?<v>\w+)/g)].map(x => x.groups.k + ':' + x.groups.v + '@' + x.index);
const dyn = new RegExp('(?<word>[a-z]+)(?<num>\\d+)', 'i').exec('--Abc123--');
const dynReplace = 'x1 y2'.replace(new RegExp('(?<l>[a-z])(?<n>\\d)', 'g'), '$<n>$<l>');
const dotAll = /a.b/s.test('a\nb');
const dotAllDyn = new RegExp('a.b', 's').test('a\nb');
const noS = /a.b/.test('a\nb');
const lookbehind = /(?<=\$)\d+/.exec('cost: $42')[0];
const plain = /(\d+)-(\d+)/.exec('10-20');
const classLiteral = /[(?<x>)]+/.exec('(?<x>)')[0];
var result = {
  groups: m.groups, index: m.index, year: m.groups.year, match: [sm[0], sm.groups.month], swapped, viaFn,
  mixed: [mixed[1], mixed[2], mixed[3], mixed.groups.named, mixed.length], backref: [backref[0], backref.groups.body],
  all, dyn: [dyn[0], dyn.groups.word, dyn.groups.num], dynReplace, dotAll, dotAllDyn, noS, lookbehind,
  plain: [plain.length, plain.groups === undefined], classLiteral, ctor: /a/.constructor === RegExp, inst: new RegExp('a') instanceof RegExp,
};
