// SCR-60: classes with constructor, methods, getters/setters, static methods
class Point {
  constructor(x, y) { this.x = x; this.y = y; }
  get length() { return Math.sqrt(this.x * this.x + this.y * this.y); }
  set scale(f) { this.x *= f; this.y *= f; }
  add(other) { return new Point(this.x + other.x, this.y + other.y); }
  toString() { return `(${this.x}, ${this.y})`; }
  static origin() { return new Point(0, 0); }
  static get zero() { return Point.origin(); }
}
const p = new Point(3, 4);
const q = p.add(new Point(1, 1));
p.scale = 2;
var result = {
  len: new Point(3, 4).length, q: String(q), p: [p.x, p.y], o: Point.origin().toString(), z: `${Point.zero}`,
  keys: Object.keys(p), protoKeys: Object.keys(Point.prototype), isPoint: q instanceof Point,
  ctor: q.constructor === Point, name: Point.name, typeofClass: typeof Point,
};
let callError;
try { Point(1, 2); } catch (e) { callError = e instanceof TypeError; }
result.callWithoutNew = callError;
