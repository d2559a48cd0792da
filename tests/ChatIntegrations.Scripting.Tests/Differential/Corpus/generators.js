// SCR-61: generators on the async state machine: yield, yield*, return/throw, for-of, spread, methods
function* count(n) { for (let i = 0; i < n; i++) { const got = yield i; if (got) { yield 'got ' + got; } } return 'done'; }
function* inner() { const x = yield 'i1'; yield 'i2:' + x; return 'inner-ret'; }
function* outer() { const r = yield* inner(); yield 'r=' + r; yield* [7, 8]; yield* 'ab'; }
function* guarded() { try { yield 1; yield 2; } finally { cleanup.push('closed'); } }
const cleanup = [];
const it = count(3);
const steps = [it.next(), it.next('x'), it.next(), it.next(), it.next(), it.next()];
const o = outer();
const outs = [o.next().value, o.next('X').value, o.next().value, o.next().value, o.next().value, o.next().value, o.next().value, o.next().done];
for (const v of guarded()) { if (v === 1) break; }
const g2 = guarded(); g2.next();
const ret = g2.return(42);
const g3 = (function* () { try { yield 1; } catch (e) { yield 'caught ' + e; } })();
g3.next();
const thrown = g3.throw('E');
const obj = { *items() { yield* [1, 2, 3]; }, [Symbol.iterator]: function* () { yield 'x'; yield 'y'; } };
class Tree { constructor(v, kids) { this.v = v; this.kids = kids; } *walk() { yield this.v; for (const k of this.kids) { yield* k.walk(); } } }
const t = new Tree(1, [new Tree(2, [new Tree(3, [])]), new Tree(4, [])]);
function* fib() { let [a, b] = [0, 1]; while (true) { yield a; [a, b] = [b, a + b]; } }
const fibs = []; for (const f of fib()) { if (f > 50) break; fibs.push(f); }
var result = { steps, outs, cleanup, ret, thrown, items: [...obj.items()], iter: [...obj], walk: [...t.walk()], fibs, arr: Array.from(count(2)), m: new Map([[1, 'a']]).size };
