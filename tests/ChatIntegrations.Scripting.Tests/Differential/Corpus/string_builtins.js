// SCR-57: String startsWith/endsWith/includes/padStart/padEnd/repeat/trimStart/trimEnd/replaceAll/matchAll/at/codePointAt
const s = '  Hello World  ';
const t = s.trim();
var result = {
  starts: [t.startsWith('Hell'), t.startsWith('World', 6), t.startsWith('x')],
  ends: [t.endsWith('World'), t.endsWith('Hello', 5)], includes: [t.includes('lo W'), t.includes('zz')],
  pad: ['5'.padStart(3, '0'), 'abc'.padEnd(6, '12'), 'x'.padStart(4), 'long'.padStart(2)],
  repeat: 'ab'.repeat(3), trim: [s.trimStart(), s.trimEnd()],
  replaceAll: ['a.b.c'.replaceAll('.', '/'), 'aaa'.replaceAll('a', '$&$&'), 'x-y'.replaceAll(/-/g, '+'), 'abab'.replaceAll('b', (m, i) => i)],
  matchAll: [...'t1 t22 t333'.matchAll(/t(\d+)/g)].map(m => m[1] + '@' + m.index),
  at: ['abc'.at(-1), 'abc'.at(0), 'abc'.at(5)], cp: ['\ud83d\ude00'.codePointAt(0), 'A'.codePointAt(0)],
  fromCp: String.fromCodePoint(128512, 65), spread: [...'a\ud83d\ude00b'].length,
};
