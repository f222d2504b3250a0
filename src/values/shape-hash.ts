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
  lines: string[] = [];
  /** The functions hashing nested records (one each). */
  readonly functions: string[] = [];
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

  /**
   * Code that adds the pair of field `v` (a variable) under the key with factors
   * (ka, kb) to the sums `sa` and `sb`. Each place remembers the pair, not the field's
   * lanes: a remembered field then costs a comparison and two adds, not two mixes
   * (two-phase rms=7: recordPairA/B were 3% of the search's samples, and in a function
   * this big V8 inlines none of them).
   */
  private field(shape: RecordShape | null, v: string, ka: number, kb: number, sa: string, sb: string): void {
    if (shape === null) this.leaf(v, ka, kb, sa, sb);
    else this.record(shape, v, sa, sb, ka, kb);
  }

  // The last two values met here (primitives, or frozen objects: they can't have
  // changed since), and their pairs: a field that goes back and forth between two
  // values (a parent's and the one an action sets) hashes neither. An array is hashed
  // here, item by item, and frozen with the state's records if the state is kept.
  private leaf(v: string, ka: number, kb: number, sa: string, sb: string): void {
    const [x, y] = [this.name('last'), this.name('last')];
    this.memory.push(`let ${x} = NONE, ${x}a = 0, ${x}b = 0, ${y} = NONE, ${y}a = 0, ${y}b = 0;`);
    this.lines.push(
      `if (${v} === ${x}) { ${addPair(sa, sb, `${x}a`, `${x}b`)} }`,
      `else if (${v} === ${y}) { ${addPair(sa, sb, `${y}a`, `${y}b`)} }`,
      `else { if (Array.isArray(${v})) hashArray(${v}, fresh); else hashPart(${v}); const pa = recordPairA(${ka}, L[0]), pb = recordPairB(${kb}, L[1]);`,
      `  ${addPair(sa, sb, 'pa', 'pb')}`,
      `  if (typeof ${v} !== 'object' || Object.isFrozen(${v})) { ${y} = ${x}; ${y}a = ${x}a; ${y}b = ${x}b; ${x} = ${v}; ${x}a = pa; ${x}b = pb; } }`,
    );
  }

  /** The code for a whole state: its record is new in every successor, so nothing is remembered of it. */
  state(shape: RecordShape): void {
    this.record(shape, 'state', '', '', 0, 0);
  }

  /**
   * A record: its fields' pairs summed, then its lanes; nested (`sa` given), its own
   * pair under key factors (ka, kb) added to `sa`, `sb`; the whole state's lanes go to `out`.
   *
   * A nested record is hashed by a function of its own (`rec<n>`, its pair left in
   * R), called unless the record is the one remembered there. In one function the
   * state's hasher took TurboFan 598 ms to compile at two-phase rms=7 (two compiles:
   * a map's field type changed under the first), 10% of the search's CPU, with the
   * search in the baseline tier meanwhile; split per record, its functions took 250 ms
   * together, and the whole search at rms=6 ran 6.9% fewer instructions (cachegrind:
   * 7.77 G -> 7.24 G, less compiling and less code run in the baseline tier).
   */
  private record(shape: RecordShape, v: string, sa: string, sb: string, ka: number, kb: number): void {
    const top = sa === '';
    const r = this.name('');
    const keys = this.constant(shape.keys);
    const n = shape.keys.length;
    const [ra, rb, seen] = [`sa${r}`, `sb${r}`, `seen${r}`];
    const fields = (): void => {
      this.lines.push(
        `if (!isPlainRecord(${v})) break fits${r};`,
        // The same own enumerable keys in the same order: then reading them by name
        // sees exactly the pairs that fingerprint.ts would sum.
        `{ let i = 0; for (const k in ${v}) { if (i === ${n} || k !== ${keys}[i]) break fits${r}; i++; } if (i !== ${n}) break fits${r}; }`,
        `let ${ra} = 0, ${rb} = 0;`,
      );
      shape.keys.forEach((key, i) => {
        const field = this.name('f');
        this.lines.push(`{ const ${field} = ${v}[${JSON.stringify(key)}];`);
        const [fa, fb] = keyLanes(key);
        this.field(shape.fields[i]!, field, keyFactorA(fa), keyFactorB(fb), ra, rb);
        this.lines.push('}');
      });
    };
    if (top) {
      this.lines.push(`done${r}: {`, `fits${r}: {`);
      fields();
      this.lines.push(`out[0] = recordA(${ra}, ${n}); out[1] = recordB(${rb}, ${n});`, `fresh.push(${v});`, `break done${r}; }`);
      // Not of this shape: hashed by fingerprint.ts (which also memoises and seals it).
      this.lines.push(`hashPart(${v}); out[0] = L[0]; out[1] = L[1]; }`);
      return;
    }
    // Nested: the last frozen record met here, and its pair: a successor's untouched
    // parts are its parent's very objects, frozen when the parent was kept, so they
    // can't have changed since. (A record the spec froze itself is taken as immutable
    // all the way down, as a state value must be.)
    this.memory.push(`let ${seen} = NONE, ${seen}a = 0, ${seen}b = 0;`);
    this.lines.push(`if (${v} === ${seen}) { ${addPair(sa, sb, `${seen}a`, `${seen}b`)} } else { rec${r}(${v}, fresh); ${addPair(sa, sb, 'R[0]', 'R[1]')} }`);
    const outer = this.lines;
    this.lines = [`function rec${r}(${v}, fresh) {`, `fits${r}: {`];
    fields();
    this.lines.push(
      `const pa = recordPairA(${ka}, recordA(${ra}, ${n})), pb = recordPairB(${kb}, recordB(${rb}, ${n})); R[0] = pa; R[1] = pb;`,
      `if (Object.isFrozen(${v})) { ${seen} = ${v}; ${seen}a = pa; ${seen}b = pb; } else fresh.push(${v});`,
      `return; }`,
      `hashPart(${v}); R[0] = recordPairA(${ka}, L[0]); R[1] = recordPairB(${kb}, L[1]);`,
      `}`,
    );
    this.functions.push(...this.lines);
    this.lines = outer;
  }
}

/** Code adding the pair (a, b) to the sums `sa`, `sb` (int32 wrap-around, as fingerprint.ts sums). */
function addPair(sa: string, sb: string, a: string, b: string): string {
  return `${sa} = (${sa} + ${a}) | 0; ${sb} = (${sb} + ${b}) | 0;`;
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
        'K', 'NONE', 'L', 'R', 'hashPart', 'hashArray', 'isPlainRecord', 'recordPairA', 'recordPairB', 'recordA', 'recordB',
        `${e.memory.join('\n')}\n${e.functions.join('\n')}\nreturn function hashShape(state, out, fresh) {\n${e.lines.join('\n')}\n};`,
      ) as typeof make;
    } catch {
      return undefined; // code generation disallowed (--disallow-code-generation-from-strings): the generic path serves
    }
    const hash = make(e.constants, NONE, partLanes, new Int32Array(2), hashPart, hashArray, isPlainRecord, recordPairA, recordPairB, recordA, recordB);
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
