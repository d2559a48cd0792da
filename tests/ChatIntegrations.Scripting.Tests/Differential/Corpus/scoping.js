// SCR-60: let/const shadowing across blocks and functions, closures over renamed bindings
let x = 'outer';
const results = [];
function read() { return x; }
{
  let x = 'block';
  results.push(x, read());
  {
    const x = 'inner';
    results.push(x);
    results.push((() => x)());
  }
  results.push(x);
}
function shadowParam(x) {
  { let x = 'shadowed-param'; results.push(x); }
  return x;
}
results.push(shadowParam('param'));
var v = 'var-outer';
function varVsLet() {
  var v = 'fn-var';
  { let v = 'block-let'; results.push(v); }
  return v;
}
results.push(varVsLet(), v);
if (true) { let onlyHere = 1; results.push(typeof onlyHere); }
results.push(typeof onlyHere);
const fnInBlock = [];
for (const name of ['a', 'b']) { function greet() { return 'hi ' + name; } fnInBlock.push(greet); }
var result = { results, x, fnInBlock: fnInBlock.map(f => f()) };
