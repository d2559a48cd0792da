// SCR-60: assigning a const binding throws TypeError at run time (only when executed)
const c = 1;
const errors = [];
try { c = 2; } catch (e) { errors.push(e instanceof TypeError, e.message); }
try { c++; } catch (e) { errors.push(e instanceof TypeError); }
function neverCalled() { c = 3; }
let l = 1;
l = 2;
{ const l = 'inner-const'; errors.push(l); }
l += 1;
for (const x of [1]) { try { x = 5; } catch (e) { errors.push('loop-const'); } }
var result = { c, l, errors };
