// SCR-60: optional catch binding, new.target, labelled blocks, regex vs division, ASI
function Maker() { return new.target === Maker; }
class K { constructor() { this.nt = new.target === K; } }
class K2 extends K {}
let caught = 'no';
try { notDefinedFn(); } catch { caught = 'yes'; }
let e1;
try { null.x; } catch ({ name, message }) { e1 = name; }
const a = 10, b = 2, g = 5;
const div = a / b / 1;
const re = /ab+c/gi.test('xABBC');
const str = 'a/b'.split(/\//);
let asi = 1
let asi2 = asi
++asi2
const tpl = `${a / b}`
var result = {
  nt: [new Maker(), Maker()], k: new K().nt, k2: new K2().nt, caught, e1, div, re, str, asi, asi2, tpl, g,
  dotall: /a.b/s.test('a\nb'), comma: (1, 2),
};
