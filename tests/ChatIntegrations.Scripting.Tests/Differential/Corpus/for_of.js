// SCR-60: for…of over arrays, strings, Map, Set, arguments and any iterable
const out = [];
for (const x of [1, 2, 3]) out.push(x);
for (const ch of 'h\u00e9\ud83d\ude00!') out.push(ch);
const m = new Map([['a', 1], ['b', 2]]);
for (const [k, v] of m) out.push(k + v);
for (const k of m.keys()) out.push(k);
for (const v of new Set([3, 3, 4])) out.push(v);
function args() { const r = []; for (const a of arguments) r.push(a); return r; }
const range = {
  from: 1, to: 4,
  [Symbol.iterator]() {
    let cur = this.from; const last = this.to;
    return { next: () => cur <= last ? { value: cur++, done: false } : { value: undefined, done: true } };
  },
};
const fromRange = [];
for (const n of range) { if (n === 3) continue; fromRange.push(n); }
let target;
for (target of ['p', 'q']);
const entries = [];
for (const [i, v] of ['x', 'y'].entries()) entries.push(i + v);
var result = { out, args: args(7, 8), fromRange, target, entries, spreadRange: [...range], keys: Object.keys(range) };
