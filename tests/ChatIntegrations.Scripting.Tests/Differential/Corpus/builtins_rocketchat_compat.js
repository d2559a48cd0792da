// SCR-57, SCR-65: built-ins real published Rocket.Chat scripts call, which the old engine lacked or got wrong.
const when = new Date(Date.UTC(2024, 4, 14, 9, 5, 7));
let missing;
try { ({}).notAMethod(); } catch (e) { missing = [e instanceof TypeError, e.name]; }
let undefinedCall;
try { const o = {}; o.a.b(); } catch (e) { undefinedCall = [e instanceof TypeError, e.name]; }
var result = {
  nfd: 'Crème Brûlée'.normalize('NFD').replace(/[\u0300-\u036f]/g, ''),
  nfc: 'e\u0301'.normalize('NFC').length,
  nfkc: '\uFB01'.normalize('NFKC'),
  utc: when.toUTCString(),
  iso: when.toISOString(),
  json: JSON.stringify({ when }),
  unescape: unescape('%41%20b%u00e9'),
  escape: escape('a b/é'),
  annexB: ['x'.bold(), 'x'.italics(), 'x'.anchor('n'), 'x'.link('u'), 'x'.fixed(), 'x'.substr(0, 1)],
  trim: [' a '.trimStart(), ' a '.trimEnd(), ' a '.trimLeft(), ' a '.trimRight()],
  missing,
  undefinedCall,
  localeCompare: ['b', 'a', 'C'].sort((x, y) => x.localeCompare(y)),
  toFixed: [(1.005).toFixed(2), (123.456).toPrecision(4), (0.1 + 0.2).toString(), Number('0x1f'), parseInt('08')],
  arrays: [[3, 1, 2].toSorted(), [1, 2, 3].toReversed(), [1, 2, 3].with(1, 9), [1, 2, 3].findLast(x => x < 3), [1, [2, [3, [4]]]].flat(Infinity), [1, 2, 3].at(-1)],
  objects: [Object.hasOwn({ a: 1 }, 'a'), Object.fromEntries([['a', 1]]), Object.entries({ b: 2 })],
  encode: [encodeURIComponent('a b&c/é'), decodeURIComponent('%E2%9C%93'), encodeURI('http://x/a b?q=é')],
};
