// SCR-60, SCR-61, SCR-65: constructs the old front end refused and Jint 4 runs natively.
function* count(n) { for (let i = 0; i < n; i++) yield i; }
async function* ticks() { yield 1; await null; yield 2; }
class Stack extends Array { peek() { return this[this.length - 1]; } }
class Registry extends Map { add(k) { return this.set(k, (this.get(k) ?? 0) + 1); } }
class Deferred extends Promise {}
class Counter {
  #n = 0;
  static created = 0;
  static { Counter.created = -1; }
  inc() { this.#n++; return this; }
  get value() { return this.#n; }
  static isCounter(o) { return #n in o; }
}
const s = new Stack(); s.push(1, 2, 3);
const r = new Registry(); r.add('a'); r.add('a');
const c = new Counter().inc().inc();
const big = 2n ** 64n + 1n;
var result = { gen: [...count(4)], spread: Math.max(...count(5)) };
(async () => {
  const got = [];
  for await (const t of ticks()) got.push(t);
  for await (const v of [Promise.resolve('a'), 'b']) got.push(v);
  const deferred = await Deferred.resolve(5);
  Object.assign(result, {
    asyncGen: got, deferred, deferredIsPromise: Deferred.resolve(1) instanceof Promise,
    stack: [s.peek(), s.length, s instanceof Array, Array.isArray(s), s.map(x => x * 2) instanceof Stack],
    registry: [r.get('a'), r.size, r instanceof Map],
    counter: [c.value, Counter.isCounter(c), Counter.isCounter({}), Counter.created],
    bigint: [big.toString(), typeof big, (10n / 3n).toString(), BigInt.asUintN(8, 257n).toString()],
    numeric: [1_000_000, 0b1010, 0o17, 2 ** 10],
    logical: (() => { let a = null; a ??= 1; let b = 0; b ||= 2; let d = 1; d &&= 3; return [a, b, d]; })(),
    optionalCatch: (() => { try { throw 1; } catch { return 'caught'; } })(),
    labelled: (() => { const out = []; outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j === 1) continue outer; if (i === 2) break outer; out.push(`${i}${j}`); } } return out; })(),
  });
})();
