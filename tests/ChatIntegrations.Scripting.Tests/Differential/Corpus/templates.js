// SCR-60: template literals (nested, multi-line) and tagged templates with raw
const name = 'World';
const n = 3;
const nested = `outer ${`inner ${n + 1} ${`deep ${name}`}`} end`;
const multi = `line1
line2 ${n}
line3`;
function tag(strings, ...values) {
  return { strings: [...strings], raw: strings.raw, values };
}
const t = tag`a${1}b\n${'two'}c\u0041`;
const obj = { tag(s, v) { return this.prefix + s[0] + v; }, prefix: '>' };
const viaMember = obj.tag`x${5}`;
const raw = String.raw`C:\new\table${n}`;
var result = { nested, multi, t, viaMember, raw, empty: ``, expr: `${1 + 1}${'a' + 'b'}`, obj: `${{ toString() { return 'S'; } }}` };
const sites = [];
const remember = (s) => { sites.push(s); return sites.length; };
for (let i = 0; i < 2; i++) remember`same site`;
remember`other site`;
result.siteIdentity = [sites[0] === sites[1], sites[1] === sites[2], Object.isFrozen(sites[0])];
