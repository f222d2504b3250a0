// A fingerprint function compiled for the shape of a spec's states. Most specs keep
// one shape: records with the same keys, nested the same way, and leaves that change
// value but not place. The hasher generated here from the first state reads those
// keys directly, adds precomputed key factors, and remembers the last values seen at
// each place (an enum-like field hashes once, not once per successor). It gives
// exactly fingerprintInto's result: arrays are folded here with fingerprint.ts's own
// steps, anything else that does not fit the shape (another key set or order, an
// Immutable value) is hashed by fingerprint.ts itself, and errors are left to the
// generic path, which words them.
import {
  SEQ_START_A,
  SEQ_START_B,
  beginParts,
  hashPart,
  keyFactorA,
  keyFactorB,
  partLanes,
  recordA,
  recordB,
  recordPairA,
  recordPairB,
  seqA,
  seqB,
  seqStepA,
  seqStepB,
} from './fingerprint.js';
import { isPlainRecord } from './kinds.js';

/** The part of a state the hasher reads as a record: its keys, in order, and their shapes. */
interface RecordShape {
  readonly keys: readonly string[];
  readonly fields: readonly (RecordShape | null)[];
}

const MAX_DEPTH = 6;
const MAX_KEYS = 64;
/** Compiled code grows with the leaves; past this many, deeper records are hashed generically. */
const MAX_SITES = 400;

function describe(v: unknown, depth: number, budget: { sites: number }): RecordShape | null {
  if (depth >= MAX_DEPTH || !isPlainRecord(v)) return null;
  const keys: string[] = [];
  for (const k in v) keys.push(k);
  // v["__proto__"] would read the prototype, not an own key of that name.
  if (keys.length > MAX_KEYS || budget.sites < keys.length || keys.includes('__proto__')) return null;
  budget.sites -= keys.length;
  return { keys, fields: keys.map((k) => describe(v[k], depth + 1, budget)) };
}

/** Where one compiled hasher's code, closure variables and constants accumulate. */
class Emitter {
  /** Statements of the hashing function. */
  readonly lines: string[] = [];
  /** Declarations of the closure around it (what the leaves remember). */
  readonly memory: string[] = [];
  readonly constants: unknown[] = [];
  private next = 0;

  private name(prefix: string): string {
    return `${prefix}${this.next++}`;
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `K[${this.constants.length - 1}]`;
  }

  /** Code that sets `a` and `b` to the lanes of value `v` (a variable). */
  private value(shape: RecordShape | null, v: string, a: string, b: string): void {
    if (shape === null) this.leaf(v, a, b);
    else this.record(shape, v, a, b);
  }

  // The last two values met here (primitives, or frozen objects: they can't have
  // changed since), and their lanes: a field that goes back and forth between two
  // values (a parent's and the one an action sets) hashes neither. An array is hashed
  // here, item by item, and frozen with the state's records if the state is kept.
  private leaf(v: string, a: string, b: string): void {
    const [x, y] = [this.name('last'), this.name('last')];
    this.memory.push(`let ${x} = NONE, ${x}a = 0, ${x}b = 0, ${y} = NONE, ${y}a = 0, ${y}b = 0;`);
    this.lines.push(
      `if (${v} === ${x}) { ${a} = ${x}a; ${b} = ${x}b; }`,
      `else if (${v} === ${y}) { ${a} = ${y}a; ${b} = ${y}b; }`,
      `else { if (Array.isArray(${v})) hashArray(${v}, fresh); else hashPart(${v}); ${a} = L[0]; ${b} = L[1];`,
      `  if (typeof ${v} !== 'object' || Object.isFrozen(${v})) { ${y} = ${x}; ${y}a = ${x}a; ${y}b = ${x}b; ${x} = ${v}; ${x}a = ${a}; ${x}b = ${b}; } }`,
    );
  }

  /** The code for a whole state: its record is new in every successor, so nothing is remembered of it. */
  state(shape: RecordShape): void {
    this.record(shape, 'state', 'out[0]', 'out[1]', false);
  }

  private record(shape: RecordShape, v: string, a: string, b: string, remember = true): void {
    const r = this.name('');
    const keys = this.constant(shape.keys);
    const n = shape.keys.length;
    const [sa, sb, va, vb, seen] = [`sa${r}`, `sb${r}`, `va${r}`, `vb${r}`, `seen${r}`];
    // The last frozen record met here, and its lanes: a successor's untouched parts
    // are its parent's very objects, frozen when the parent was kept, so they can't
    // have changed since. (A record the spec froze itself is taken as immutable all
    // the way down, as a state value must be.)
    if (remember) this.memory.push(`let ${seen} = NONE, ${seen}a = 0, ${seen}b = 0;`);
    this.lines.push(
      `done${r}: {`,
      ...(remember ? [`if (${v} === ${seen}) { ${a} = ${seen}a; ${b} = ${seen}b; break done${r}; }`] : []),
      `fits${r}: {`,
      `if (!isPlainRecord(${v})) break fits${r};`,
      // The same own enumerable keys in the same order: then reading them by name
      // sees exactly the pairs that fingerprint.ts would sum.
      `{ let i = 0; for (const k in ${v}) { if (i === ${n} || k !== ${keys}[i]) break fits${r}; i++; } if (i !== ${n}) break fits${r}; }`,
      `let ${sa} = 0, ${sb} = 0, ${va} = 0, ${vb} = 0;`,
    );
    shape.keys.forEach((key, i) => {
      const field = this.name('f');
      this.lines.push(`{ const ${field} = ${v}[${JSON.stringify(key)}];`);
      this.value(shape.fields[i]!, field, va, vb);
      const [ka, kb] = keyLanes(key);
      this.lines.push(
        `${sa} = (${sa} + recordPairA(${keyFactorA(ka)}, ${va})) | 0; ${sb} = (${sb} + recordPairB(${keyFactorB(kb)}, ${vb})) | 0; }`,
      );
    });
    this.lines.push(
      `${a} = recordA(${sa}, ${n}); ${b} = recordB(${sb}, ${n});`,
      remember ? `if (Object.isFrozen(${v})) { ${seen} = ${v}; ${seen}a = ${a}; ${seen}b = ${b}; } else fresh.push(${v});` : `fresh.push(${v});`,
      `break done${r}; }`,
      // Not of this shape: hashed by fingerprint.ts (which also memoises and seals it).
      `hashPart(${v}); ${a} = L[0]; ${b} = L[1]; }`,
    );
  }
}

function keyLanes(key: string): [number, number] {
  hashPart(key);
  return [partLanes[0]!, partLanes[1]!];
}

const NONE = Symbol('none');

/**
 * Hashes an array into `partLanes` as fingerprint.ts does, without memoising it (a
 * symbol property costs more than hashing a short array again): it is listed with
 * the state's fresh records instead, to be frozen if the state is kept.
 */
function hashArray(items: readonly unknown[], fresh: FreshParts): void {
  let a = SEQ_START_A;
  let b = SEQ_START_B;
  const n = items.length;
  for (let i = 0; i < n; i++) {
    hashPart(items[i]);
    a = seqStepA(a, partLanes[0]!);
    b = seqStepB(b, partLanes[1]!);
  }
  partLanes[0] = seqA(a, n);
  partLanes[1] = seqB(b, n);
  if (!Object.isFrozen(items)) fresh.push(items);
}

/** A list reused from hash to hash (truncating an array each time costs a runtime call). */
class FreshParts {
  readonly items: object[] = [];
  count = 0;
  push(o: object): void {
    this.items[this.count++] = o;
  }
}

export class ShapeHasher {
  private constructor(
    private readonly hash: (state: unknown, out: Uint32Array, fresh: FreshParts) => void,
  ) {}

  /** The records and arrays the last hash read itself and found unfrozen: the new parts of a state. */
  private readonly fresh = new FreshParts();

  /** A hasher for states shaped like `sample`; undefined when the sample is not a plain record. */
  static derive(sample: unknown): ShapeHasher | undefined {
    const shape = describe(sample, 0, { sites: MAX_SITES });
    if (shape === null) return undefined;
    const e = new Emitter();
    e.state(shape);
    let make: (...args: unknown[]) => (state: unknown, out: Uint32Array, fresh: FreshParts) => void;
    try {
      make = new Function(
        'K', 'NONE', 'L', 'hashPart', 'hashArray', 'isPlainRecord', 'recordPairA', 'recordPairB', 'recordA', 'recordB',
        `${e.memory.join('\n')}\nreturn function hashShape(state, out, fresh) {\n${e.lines.join('\n')}\n};`,
      ) as typeof make;
    } catch {
      return undefined; // code generation disallowed (--disallow-code-generation-from-strings): the generic path serves
    }
    const hash = make(e.constants, NONE, partLanes, hashPart, hashArray, isPlainRecord, recordPairA, recordPairB, recordA, recordB);
    return new ShapeHasher(hash);
  }

  /**
   * Fingerprints `state` into out[0..1], as `fingerprintInto(state, out, 0, false)`
   * would. Throws (unworded) for a non-state value: re-run the generic path to word it.
   */
  hashInto(state: unknown, out: Uint32Array): void {
    beginParts();
    this.fresh.count = 0;
    this.hash(state, out, this.fresh);
  }

  /**
   * Seals the state last hashed, now kept: the records and arrays it read are frozen here (so a
   * handler that mutates one fails loudly), the parts hashed generically by `sealPending`.
   */
  freezeFresh(): void {
    const { items, count } = this.fresh;
    for (let i = 0; i < count; i++) Object.freeze(items[i]);
    this.fresh.count = 0;
  }
}
