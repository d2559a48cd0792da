// Identifiers that ES2015 sloppy mode allows but ES5 engines reserve are renamed consistently
var let = 1;
var yield = 2;
const implements = 3, interface = 4, package = 5, private = 6, protected = 7, public = 8;
function f(static) { return static * 2; }
const o = { let, yield, static: f(implements) };
o.let += interface;
const { private: p = 0 } = { private: private + package };
var result = { o, sum: let + yield + protected + public, p };
