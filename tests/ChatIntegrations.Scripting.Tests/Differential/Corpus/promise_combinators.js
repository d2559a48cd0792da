// SCR-57: Promise constructor, then/catch/finally, resolve/reject, all/allSettled/race/any, AggregateError
const log = [];
const delayed = (v, fail) => new Promise((res, rej) => { Promise.resolve().then(() => (fail ? rej(new Error(v)) : res(v))); });
const p = new Promise((resolve) => { log.push('executor'); resolve(1); resolve(2); });
p.then(v => { log.push('then ' + v); return v + 1; }).then(v => { throw new Error('e' + v); }).catch(e => { log.push('catch ' + e.message); return 'recovered'; })
  .finally(() => log.push('finally')).then(v => log.push('after finally ' + v));
Promise.reject(new Error('r')).finally(() => log.push('finally on reject')).catch(e => log.push('still rejected ' + e.message));
let ctorError; try { new Promise(5); } catch (e) { ctorError = e instanceof TypeError; }
Promise.all([delayed('a'), 'b', Promise.resolve('c')]).then(v => log.push('all ' + v.join()));
Promise.all([delayed('a'), delayed('bad', true)]).catch(e => log.push('all rejected ' + e.message));
Promise.allSettled([delayed('ok'), delayed('no', true), 3]).then(rs => log.push('settled ' + JSON.stringify(rs.map(r => r.status + ':' + (r.value || r.reason.message)))));
Promise.race([delayed('slow'), 'fast']).then(v => log.push('race ' + v));
Promise.any([delayed('x', true), delayed('y')]).then(v => log.push('any ' + v));
// Jint 4 leaves the AggregateError of Promise.any without V8's message "All promises were rejected" (README).
Promise.any([Promise.reject(1), Promise.reject(2)]).catch(e => log.push('any failed ' + (e instanceof AggregateError) + ' ' + e.errors.join() + ' ' + typeof e.message + ' ' + e.name));
Promise.all([]).then(v => log.push('empty all ' + v.length));
const resolvedWithPromise = new Promise(r => r(Promise.resolve('inner')));
resolvedWithPromise.then(v => log.push('adopted ' + v));
Promise.resolve().then(() => log.push('t1')).then(() => log.push('t2')).then(() => log.push('t3')).then(() => log.push('t4'));
const same = Promise.resolve(p) === p;
setTimeoutLess();
function setTimeoutLess() { Promise.resolve().then(() => Promise.resolve().then(() => Promise.resolve().then(() => Promise.resolve().then(() => Promise.resolve().then(() => { globalThis.result = { log, ctorError, same }; }))))); }
