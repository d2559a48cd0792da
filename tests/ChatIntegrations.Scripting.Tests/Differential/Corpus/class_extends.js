// SCR-60: extends, super calls, super.method(), static inheritance, instanceof
class Animal {
  constructor(name) { this.name = name; }
  speak() { return `${this.name} makes a sound`; }
  static create(name) { return new this(name); }
  describe() { return 'animal ' + this.name; }
}
class Dog extends Animal {
  constructor(name, breed) { super(name); this.breed = breed; }
  speak() { return super.speak() + ' (woof)'; }
  describe() { const base = () => super.describe(); return base() + ' of breed ' + this.breed; }
}
class Puppy extends Dog {
  speak() { return 'tiny ' + super.speak(); }
}
const d = new Dog('Rex', 'lab');
const p = new Puppy('Bit', 'pug');
const c = Dog.create('Max');
var result = {
  d: d.speak(), p: p.speak(), pd: p.describe(), c: c instanceof Dog, cname: c.name,
  chain: [p instanceof Puppy, p instanceof Dog, p instanceof Animal, d instanceof Puppy],
  own: Object.keys(p),
};
