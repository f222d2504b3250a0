// 64-bit fingerprints of state values, computed as two independent 32-bit lanes.
//
// Equal canonical values get equal fingerprints: object keys and the elements of
// Immutable Maps/Sets are combined by addition (order-free, no sorting), sequences
// in order. Composite values are sealed once fingerprinted: their fingerprint is
// memoised on the object (a hidden symbol property) and plain objects/arrays are
// frozen, so a successor that shares structure with its parent re-hashes only what
// changed, and a handler that mutates a state fails loudly instead of corrupting
// the search.
import { fmix32, fmixB } from './mix.js';
import { isImmutable, isIndexed, isKeyed, isRecord, isSet } from './immutable.js';
import { describeInvalid } from './kinds.js';

// A mark rather than instanceof, as for SpecError: the error may come from another
// copy of this class (a spec's own install of faultline, a test runner's module graph).
const NON_CANONICAL = Symbol.for('faultline.nonCanonical');

/** Thrown for a value that is not a state value; `path` locates it (".x[3]"). */
export class NonCanonicalError extends Error {
  readonly [NON_CANONICAL] = true;
  path = '';
  constructor(public what: string) {
    // No message argument: Error would store it as an own property, which shadows
    // the getter below and loses the path.
    super();
    this.name = 'NonCanonicalError';
  }
  override get message(): string {
    return `state${this.path} is ${this.what}`;
  }
}

/** Whether `e` is a NonCanonicalError, of this copy of faultline or of a spec's. */
export function isNonCanonical(e: unknown): e is NonCanonicalError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[NON_CANONICAL] === true;
}

const MEMO: unique symbol = Symbol('faultline.fingerprint');
interface Memo {
  a: number;
  b: number;
}
type Memoised = { [MEMO]?: Memo };
// Memos of objects that were already non-extensible (e.g. frozen by the user).
const sideMemo = new WeakMap<object, Memo>();

// Lane outputs of the last hash (avoids allocating a pair per call).
let A = 0;
let B = 0;
let depth = 0;
const MAX_DEPTH = 500;
// The composite values being hashed, outermost first (open[0..depth-1]): they explain
// a depth overflow, which is usually a cycle.
const open: object[] = [];
let overflow: { error: NonCanonicalError; segments: string[]; cycle?: [number, number] } | null = null;

// Objects fingerprinted for the first time during the current call: sealed on success.
const fresh: object[] = [];
let freshA = new Int32Array(64);
let freshB = new Int32Array(64);
let freshCount = 0;

function pushFresh(o: object): void {
  if (freshCount === freshA.length) {
    const a = new Int32Array(freshCount * 2);
    const b = new Int32Array(freshCount * 2);
    a.set(freshA);
    b.set(freshB);
    freshA = a;
    freshB = b;
  }
  fresh[freshCount] = o;
  freshA[freshCount] = A;
  freshB[freshCount] = B;
  freshCount++;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);


// Kind tags keep e.g. "1" and 1, [] and {} apart.
const T_NULL = 0x1b873593;
const T_TRUE = 0x2f3b4c5d;
const T_FALSE = 0x3c6ef372;
const T_INT = 0x4f1bbcdc;
const T_FLOAT = 0x5a827999;
const T_STR = 0x6ed9eba1;
const T_BIGINT = 0x7a6d76e9;
const T_SEQ = 0x8f1bbcdc;
const T_REC = 0x9e3779b9;
const T_MAP = 0xa54ff53a;
const T_SET = 0xbb67ae85;

function hashString(s: string, tag: number): void {
  let a = tag ^ s.length;
  let b = ~tag ^ Math.imul(s.length, 0x9e3779b1);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul((b << 5) | (b >>> 27), 0x5bd1e995) ^ c;
  }
  A = fmix32(a);
  B = fmixB(b);
}

function hashNumber(n: number): void {
  if ((n | 0) === n) {
    A = fmix32(n ^ T_INT);
    B = fmixB(Math.imul(n, 0x9e3779b1) ^ ~T_INT);
    return;
  }
  if (!Number.isFinite(n)) throw new NonCanonicalError(describeInvalid(n));
  f64[0] = n === 0 ? 0 : n; // -0 and 0 are one value
  A = fmix32(u32[0]! ^ fmix32(u32[1]! ^ T_FLOAT));
  B = fmixB(u32[1]! ^ fmixB(u32[0]! ^ ~T_FLOAT));
}

function hashValue(v: unknown): void {
  switch (typeof v) {
    case 'string':
      hashString(v, T_STR);
      return;
    case 'number':
      hashNumber(v);
      return;
    case 'boolean':
      A = v ? T_TRUE : T_FALSE;
      B = v ? ~T_TRUE : ~T_FALSE;
      return;
    case 'bigint':
      hashString(v.toString(), T_BIGINT);
      return;
    case 'object':
      if (v === null) {
        A = T_NULL;
        B = ~T_NULL;
        return;
      }
      hashObject(v);
      return;
    default:
      throw new NonCanonicalError(describeInvalid(v));
  }
}

function hashObject(v: object): void {
  let memo = (v as Memoised)[MEMO];
  if (memo === undefined && !Object.isExtensible(v)) memo = sideMemo.get(v);
  if (memo !== undefined) {
    A = memo.a;
    B = memo.b;
    return;
  }
  if (depth >= MAX_DEPTH) throw tooDeep(v);
  open[depth++] = v;
  if (Array.isArray(v)) hashSeq(v);
  else {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) hashRecord(v as Record<string, unknown>);
    else if (isImmutable(v)) hashImmutable(v);
    else throw new NonCanonicalError(describeInvalid(v));
  }
  depth--;
  pushFresh(v);
}

function tooDeep(v: object): NonCanonicalError {
  const chain = open.slice(0, depth);
  chain.push(v);
  const error = new NonCanonicalError(`nested more than ${MAX_DEPTH} levels deep`);
  overflow = { error, segments: [] };
  const seen = new Map<object, number>();
  for (let j = 0; j < chain.length; j++) {
    const i = seen.get(chain[j]!);
    if (i !== undefined) {
      overflow.cycle = [i, j];
      break;
    }
    seen.set(chain[j]!, j);
  }
  return error;
}

// Once the path is complete: report a cycle where it first closes, not 500 levels down.
function explainOverflow(e: unknown): void {
  if (overflow === null || overflow.error !== e || overflow.cycle === undefined) return;
  const segments = overflow.segments.reverse(); // segments[k] leads to chain[k + 1]
  const [i, j] = overflow.cycle;
  overflow.error.path = segments.slice(0, j).join('');
  overflow.error.what = `a reference back to state${segments.slice(0, i).join('')} (a cycle)`;
}

function hashSeq(items: Iterable<unknown>): void {
  let a = SEQ_START_A;
  let b = SEQ_START_B;
  let i = 0;
  for (const item of items) {
    try {
      hashValue(item);
    } catch (e) {
      throw prependPath(e, `[${i}]`);
    }
    a = seqStepA(a, A);
    b = seqStepB(b, B);
    i++;
  }
  A = seqA(a, i);
  B = seqB(b, i);
}

// A sequence's fingerprint folds its items in order. Its pieces, shared with the
// hashers compiled for a state's shape (shape-hash.ts), which hash arrays themselves.
export const SEQ_START_A = T_SEQ;
export const SEQ_START_B = ~T_SEQ;
export const seqStepA = (a: number, itemA: number): number => Math.imul((a << 5) | (a >>> 27), 0x85ebca6b) ^ itemA;
export const seqStepB = (b: number, itemB: number): number => Math.imul((b << 7) | (b >>> 25), 0xcc9e2d51) ^ itemB;
/** The sequence's lanes from the folds over its n items. */
export const seqA = (a: number, n: number): number => fmix32(a ^ n);
export const seqB = (b: number, n: number): number => fmixB(b ^ Math.imul(n, 0x27d4eb2d));

/** Adds one (key, value) pair to an order-free sum. */
let sumA = 0;
let sumB = 0;
function addPair(ka: number, kb: number, va: number, vb: number): void {
  sumA = (sumA + recordPairA(keyFactorA(ka), va)) | 0;
  sumB = (sumB + recordPairB(keyFactorB(kb), vb)) | 0;
}

function hashRecord(o: Record<string, unknown>): void {
  let sa = 0;
  let sb = 0;
  let n = 0;
  // for-in allocates no key array; plain objects inherit no enumerable keys.
  for (const k in o) {
    try {
      hashValue(o[k]);
    } catch (e) {
      throw prependPath(e, keyPath(k));
    }
    const va = A;
    const vb = B;
    hashString(k, T_STR);
    sa = (sa + recordPairA(keyFactorA(A), va)) | 0;
    sb = (sb + recordPairB(keyFactorB(B), vb)) | 0;
    n++;
  }
  A = recordA(sa, n);
  B = recordB(sb, n);
}

// A record's fingerprint is an order-free sum over its (key, value) pairs. These are
// its pieces, shared with the hashers compiled for a state's shape (shape-hash.ts),
// which precompute the key factors.
/** Lane A of a key as it enters its pair (a constant per key). */
export const keyFactorA = (keyA: number): number => Math.imul(keyA, 0x9e3779b1);
export const keyFactorB = (keyB: number): number => Math.imul(keyB, 0x85ebca77);
export const recordPairA = (keyFactor: number, va: number): number => fmix32(keyFactor ^ va);
export const recordPairB = (keyFactor: number, vb: number): number => fmixB(keyFactor ^ ((vb << 13) | (vb >>> 19)));
/** The record's lanes from the sums of its n pairs. */
export const recordA = (sum: number, n: number): number => fmix32(sum ^ T_REC ^ n);
export const recordB = (sum: number, n: number): number => fmixB(sum ^ ~T_REC ^ Math.imul(n, 0x165667b1));

function hashImmutable(v: object): void {
  if (isRecord(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of (v as unknown as { toSeq(): Iterable<[string, unknown]> }).toSeq()) o[k] = x;
    hashRecord(o);
  } else if (isKeyed(v)) {
    let sa = 0;
    let sb = 0;
    let n = 0;
    for (const [k, x] of (v as unknown as { entries(): Iterable<[unknown, unknown]> }).entries()) {
      try {
        hashValue(k);
      } catch (e) {
        throw prependPath(e, '.keys()');
      }
      const ka = A;
      const kb = B;
      try {
        hashValue(x);
      } catch (e) {
        throw prependPath(e, `.get(${typeof k === 'string' ? JSON.stringify(k) : String(k)})`);
      }
      sumA = sa;
      sumB = sb;
      addPair(ka, kb, A, B);
      sa = sumA;
      sb = sumB;
      n++;
    }
    A = fmix32(sa ^ T_MAP ^ n);
    B = fmixB(sb ^ ~T_MAP ^ Math.imul(n, 0x165667b1));
  } else if (isIndexed(v)) {
    hashSeq(v as Iterable<unknown>);
  } else if (isSet(v)) {
    let sa = 0;
    let sb = 0;
    let n = 0;
    for (const x of v as Iterable<unknown>) {
      try {
        hashValue(x);
      } catch (e) {
        throw prependPath(e, '.values()');
      }
      sa = (sa + fmix32(A ^ 0x3c6ef372)) | 0;
      sb = (sb + fmixB(B ^ 0x7f4a7c15)) | 0;
      n++;
    }
    A = fmix32(sa ^ T_SET ^ n);
    B = fmixB(sb ^ ~T_SET ^ Math.imul(n, 0x165667b1));
  } else {
    throw new NonCanonicalError(describeInvalid(v));
  }
}

function keyPath(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}

/** Whether `v` was sealed (its fingerprint memoised): then it is held by a value kept before. */
export function isSealed(v: object): boolean {
  return (v as Memoised)[MEMO] !== undefined || (!Object.isExtensible(v) && sideMemo.has(v));
}

function prependPath(e: unknown, segment: string): unknown {
  if (isNonCanonical(e)) {
    e.path = segment + e.path;
    if (overflow !== null && overflow.error === e) overflow.segments.push(segment);
  }
  return e;
}

function sealFresh(): void {
  for (let i = 0; i < freshCount; i++) {
    const o = fresh[i]!;
    // A value shared within the state (e.g. Immutable's empty Set singleton, used
    // twice) is in `fresh` twice: redefining MEMO would throw.
    if ((o as Memoised)[MEMO] !== undefined) continue;
    const memo = { a: freshA[i]!, b: freshB[i]! };
    if (Object.isExtensible(o)) Object.defineProperty(o, MEMO, { value: memo });
    else sideMemo.set(o, memo);
    // Immutable collections stay unfrozen: they cache their own hashCode lazily.
    if (!isImmutable(o)) Object.freeze(o);
  }
  clearFresh();
}

function clearFresh(): void {
  // Keep the array's capacity; drop references so unkept successors can be collected.
  for (let i = 0; i < freshCount; i++) fresh[i] = undefined as unknown as object;
  freshCount = 0;
}

/**
 * Fingerprints `value` into out[offset] (lane A) and out[offset + 1] (lane B),
 * as unsigned 32-bit integers. Throws NonCanonicalError for a non-state value.
 * With `seal`, the composite parts seen for the first time are memoised and frozen;
 * without it they stay pending until `sealPending()` (or the next call drops them).
 */
export function fingerprintInto(value: unknown, out: Uint32Array, offset = 0, seal = true): void {
  depth = 0;
  clearFresh();
  try {
    hashValue(value);
  } catch (e) {
    clearFresh();
    explainOverflow(e);
    overflow = null;
    open.length = 0;
    throw e;
  }
  out[offset] = A;
  out[offset + 1] = B;
  if (seal) sealFresh();
}

/**
 * Seals what the last `fingerprintInto(..., seal = false)` saw for the first time:
 * the explorer fingerprints every successor but seals only those it keeps.
 */
export function sealPending(): void {
  sealFresh();
}

const scratch = new Uint32Array(2);

/** The fingerprint as a 16-digit hex string (for tests and debugging). */
export function fingerprint(value: unknown): string {
  fingerprintInto(value, scratch);
  return scratch[0]!.toString(16).padStart(8, '0') + scratch[1]!.toString(16).padStart(8, '0');
}

/** The lanes (int32) of the last `hashPart`. */
export const partLanes = new Int32Array(2);

/**
 * Starts a fingerprint assembled from parts (shape-hash.ts): forgets what the last
 * one left pending, as `fingerprintInto` does.
 */
export function beginParts(): void {
  clearFresh();
}

/**
 * Hashes one part of a state into `partLanes`, exactly as `fingerprintInto` hashes
 * it inside the state; its first-seen composites stay pending for `sealPending`.
 * Throws NonCanonicalError with a path relative to the part.
 */
export function hashPart(v: unknown): void {
  depth = 0;
  overflow = null;
  hashValue(v);
  partLanes[0] = A;
  partLanes[1] = B;
}
