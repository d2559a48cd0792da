// SCR-60: ?. with member, element access and calls (keeping this), ?? and logical assignment
const obj = { a: { b: { c: 1 } }, list: [1, 2], name: 'n', greet() { return 'hi ' + this.name; }, zero: 0, empty: '' };
const nul = null;
let calls = 0;
const counted = () => { calls++; return obj; };
var result = {
  c: obj?.a?.b?.c, missing: obj.x?.y.z, nulChain: nul?.a.b.c, el: obj.list?.[1], elMissing: nul?.[0],
  call: obj.greet?.(), callMissing: obj.nothing?.(), method: obj?.greet(), once: counted()?.a.b.c, calls,
  deep: obj.a?.['b']?.c, nc1: nul ?? 'default', nc2: obj.zero ?? 5, nc3: obj.empty ?? 'x', nc4: undefined ?? null ?? 3,
  del: delete obj?.name, afterDel: obj.name,
};
let a1 = null; a1 ??= 'set';
let a2 = 'keep'; a2 ??= 'no';
let a3 = 0; a3 ||= 10;
let a4 = 1; a4 &&= 20;
const o2 = { v: null, w: 1, n: { x: 0 } };
o2.v ??= 'filled'; o2.w ||= 'no'; o2.n.x ||= 'yes'; o2['w'] &&= 'and';
result.assigns = [a1, a2, a3, a4, o2];
