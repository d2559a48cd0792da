// SCR-60: let/const block scope and fresh bindings per iteration captured by closures
const fns = [];
for (let i = 0; i < 3; i++) { fns.push(() => i); }
const fns2 = [];
for (let i = 0; i < 6; i++) { if (i % 2) continue; fns2.push(() => i); if (i > 3) break; }
const fns3 = [];
for (const k in { a: 1, b: 2 }) { fns3.push(() => k); }
const fns4 = [];
for (const v of ['x', 'y']) { let w = v + v; fns4.push(() => w); }
const fns5 = [];
let j = 0;
while (j < 3) { let captured = j * 10; fns5.push(() => captured); j++; }
let shadow = 'outer';
{ let shadow = 'inner'; fns.push(() => shadow); }
const mut = [];
for (let i = 0; i < 5; i++) { mut.push(() => i); i++; }
function findFirst(list) {
  for (const item of list) { const f = () => item; if (item > 1) return f(); }
  return -1;
}
var x1 = 'v';
{ let x1 = 'blocked'; }
let undefInLoop = [];
for (let i = 0; i < 2; i++) { let u; if (i === 0) u = 'set'; undefInLoop.push(u); }
var result = {
  f1: fns.map(f => f()), f2: fns2.map(f => f()), f3: fns3.map(f => f()), f4: fns4.map(f => f()), f5: fns5.map(f => f()),
  shadow, mut: mut.map(f => f()), first: findFirst([0, 1, 2, 3]), x1, undefInLoop,
};
