// SCR-60: spread in arrays, calls (incl. new and method calls keeping this) and object literals
const arr = [1, 2, 3];
const more = [0, ...arr, 4, ...'ab', ...new Set([5, 5, 6])];
const max = Math.max(...arr, 10);
const obj = { base: 1, list: [], add(...xs) { this.list.push(...xs); return this.list.length; } };
const added = obj.add(...arr, 'x');
class P { constructor(a, b, c) { this.sum = a + b + c; } }
const inst = new P(...arr);
const d = new Date(...[2020, 0, 15]);
const merged = { ...{ a: 1, b: 2 }, b: 3, ...null, ...{ s: 'hi' }, c: [...arr] };
const copy = [...arr];
copy.push(9);
var result = { more, max, added, list: obj.list, inst: inst.sum, year: d.getFullYear(), merged, arr, copy };
