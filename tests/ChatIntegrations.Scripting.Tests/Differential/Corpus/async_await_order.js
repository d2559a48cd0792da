// SCR-62: await ordering against Node.js 20 (microtasks, non-promise awaits, then-chains, thenables)
const log = [];
async function a1() { log.push('a1 start'); await undefined; log.push('a1 after await undefined'); await 1; log.push('a1 after await 1'); return 'a1'; }
async function a2() { log.push('a2 start'); const v = await Promise.resolve('x'); log.push('a2 got ' + v); return v + '!'; }
async function a3() { return Promise.resolve('ret-promise'); }
const thenable = { then(res) { log.push('thenable.then'); res('T'); } };
async function a4() { const t = await thenable; log.push('a4 ' + t); }
Promise.resolve().then(() => log.push('p1')).then(() => log.push('p2')).then(() => log.push('p3')).then(() => log.push('p4'));
a1().then(v => log.push('a1 done ' + v));
a2().then(v => log.push('a2 done ' + v));
a3().then(v => log.push('a3 done ' + v));
a4();
Promise.resolve().then(() => log.push('qm')); // queueMicrotask is not a script global (SCR-50); same job order
log.push('sync end');
async function sum(xs) { let s = 0; for (const x of xs) { s += await x; } return s; }
async function tryFinally() {
  const out = [];
  try { out.push('try'); await null; throw new Error('boom'); } catch (e) { out.push('catch ' + e.message); await 0; out.push('after catch await'); } finally { out.push('finally'); await 0; out.push('finally2'); }
  for (let i = 0; i < 3; i++) { try { if (i === 1) continue; out.push('i' + i); await i; if (i === 2) break; } finally { out.push('f' + i); } }
  return out;
}
const obj = { n: 5, async m() { const f = async () => this.n * 2; return await f() + (await this.n); } };
class K { constructor() { this.v = 3; } async get(x) { await null; return this.v + x; } static async s() { return 'static'; } }
async function rejects() { await null; throw new TypeError('bad'); }
async function conds(x) { return (x ? await 'yes' : await 'no') + (x && await 'and') + (await 1 + await 2) + [await 'a', 'b', await 'c'].join(''); }
Promise.all([sum([1, Promise.resolve(2), 3]), tryFinally(), obj.m(), new K().get(4), K.s(), rejects().catch(e => e.name + ':' + e.message), conds(true), conds(0)])
  .then(values => { var result0 = values; globalThis.result = { log, values }; });
