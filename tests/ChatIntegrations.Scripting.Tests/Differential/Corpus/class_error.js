// SCR-60: class X extends Error keeps message, name, stack and instanceof X
class ValidationError extends Error {
  constructor(message, field) {
    super(message);
    this.name = 'ValidationError';
    this.field = field;
  }
}
class NotFound extends ValidationError {
  constructor(what) { super(`${what} not found`, what); this.name = this.constructor.name; }
}
class Plain extends Error {}
function check(v) { if (!v) throw new NotFound('user'); return v; }
let caught;
try { check(0); } catch (e) { caught = e; }
const plain = new Plain('p');
var result = {
  message: caught.message, name: caught.name, field: caught.field,
  isNotFound: caught instanceof NotFound, isValidation: caught instanceof ValidationError, isError: caught instanceof Error,
  str: String(caught), // Jint 4's stack lists the frames without V8's "Name: message" first line (documented in the README).
  hasStack: typeof caught.stack === 'string' && caught.stack.indexOf('at ') >= 0,
  plain: [plain.message, plain.name, String(plain), plain instanceof Plain, plain instanceof Error],
  json: JSON.stringify(caught), keys: Object.keys(caught),
};
class HttpError extends Error {
  constructor(status, ...rest) {
    super(...rest);
    if (Error.captureStackTrace) Error.captureStackTrace(this, HttpError);
    this.status = status;
  }
}
const he = new HttpError(404, 'missing', { cause: 'c' });
result.http = [he.message, he.status, he.cause, typeof he.stack, he instanceof HttpError, Object.keys(he)];
