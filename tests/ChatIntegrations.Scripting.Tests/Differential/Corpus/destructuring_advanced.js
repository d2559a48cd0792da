// SCR-60: destructuring in for-in/of heads, catch params, evaluation counts, defaults calling functions
let reads = 0;
const src = { get a() { reads++; return undefined; }, b: 2 };
const { a = 'dflt', b } = src;
let defaultsCalled = 0;
const def = () => { defaultsCalled++; return 'd'; };
const { x = def(), y = def() } = { x: 1 };
const pairs = [];
for (const { id, tags: [firstTag = 'none'] = [] } of [{ id: 1, tags: ['t'] }, { id: 2 }]) pairs.push(id + firstTag);
for (const [k, v] of Object.entries({ p: 1, q: 2 })) pairs.push(k + v);
let caught;
try { throw { code: 42, detail: { msg: 'bad' } }; } catch ({ code, detail: { msg } }) { caught = code + msg; }
const swap = { l: 1, r: 2 };
[swap.l, swap.r] = [swap.r, swap.l];
const arr = [];
[arr[0], arr[1] = 'dflt'] = ['zero'];
function f({ a, b } = { a: 'A', b: 'B' }, [c] = ['C']) { return a + b + c; }
const { length } = 'hello';
const [[nested1, nested2], { deep: { deeper } }] = [[1, 2], { deep: { deeper: 3 } }];
var result = { a, b, reads, x, y, defaultsCalled, pairs, caught, swap, arr, f1: f(), f2: f({ a: 1, b: 2 }, [3]), length, nested1, nested2, deeper };
