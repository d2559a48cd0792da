// SCR-61, SCR-65: empty-match global regexes (the old engine never returned from 'ab'.match(/x*/g)), sticky, unicode
// and indices flags, named groups, lookbehind and the s flag, as published scripts use them.
const sticky = /foo/y;
sticky.lastIndex = 3;
const stickyHit = sticky.test('barfoo');
const stickyMiss = sticky.test('barfoo');
const d = /b(?<mid>c)d/d.exec('abcde');
var result = {
  match: 'ab'.match(/x*/g),
  replace: 'ab'.replace(/x*/g, '-'),
  replaceAll: 'ab'.replaceAll(/x*/g, '-'),
  split: 'ab'.split(/x*/),
  splitEmpty: 'a,b,,c'.split(/,/),
  matchAllIndexes: [...'ab'.matchAll(/x*/g)].map(m => m.index),
  sticky: [stickyHit, stickyMiss, sticky.lastIndex],
  unicode: [/^.$/u.test('😀'), /^.$/.test('😀'), '😀'.length, [...'a😀b'].length, /\u{1F600}/u.test('😀')],
  property: /\p{Lu}/u.test('É'),
  indices: [d.indices[0], d.indices.groups.mid],
  named: '2024-05-14'.replace(/(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})/, '$<d>/$<m>/$<y>'),
  groups: '2024-05-14'.match(/(?<y>\d{4})-(?<m>\d{2})/).groups,
  backref: /(?<q>['"]).*?\k<q>/.exec('say "hi" now')[0],
  lookbehind: ['$10 €20 $30'.match(/(?<=\$)\d+/g), 'price: 42'.match(/(?<!\d)\d{2}(?!\d)/)[0]],
  dotAll: [/a.b/s.test('a\nb'), /a.b/.test('a\nb'), new RegExp('a.b', 's').flags],
  flags: /x/dgimsuy.flags,
  lastIndexLoop: (() => { const r = /a*/g; const out = []; let m; let guard = 0; while ((m = r.exec('baa')) && guard++ < 10) { out.push([m[0], m.index]); if (m[0] === '') r.lastIndex++; } return out; })(),
};
