// A declared state layout: every variable gets a finite domain, so a state packs
// into a few 32-bit words. Packed states need no JS object per state, hash in a few
// multiplications, and sit in the frontier as raw words.
import { SpecError } from '../core/errors.js';

export type Atom = string | number | boolean;

/** A variable's domain: its values in order (code i stands for values[i]). */
export interface Domain<T extends Atom = Atom> {
  readonly kind: 'domain';
  readonly values: readonly T[];
  /** For int(): value = min + code, so set() needs no search. */
  readonly min?: number;
}

/** `perKey(['r1','r2'], bool())`: one variable per key, read back as a record. */
export interface PerKey<K extends string, D extends Decl> {
  readonly kind: 'perKey';
  readonly keys: readonly K[];
  readonly of: D;
}

/** `list(3, int(0, 2))`: a fixed-length list of variables, read back as an array. */
export interface List<D extends Decl> {
  readonly kind: 'list';
  readonly length: number;
  readonly of: D;
}

export type Decl = Domain | PerKey<string, Decl> | List<Decl> | { readonly [field: string]: Decl };

/** `true` or `false`. */
export function bool(): Domain<boolean> {
  return { kind: 'domain', values: [false, true] };
}

/** One of the given values (strings, numbers or booleans). */
export function oneOf<const T extends Atom>(...values: T[]): Domain<T> {
  if (values.length === 0) throw new SpecError('oneOf() needs at least one value');
  if (new Set(values).size !== values.length) throw new SpecError(`oneOf(${values.map((v) => JSON.stringify(v)).join(', ')}) lists a value twice`);
  return { kind: 'domain', values };
}

/** An integer from min to max inclusive. */
export function int(min: number, max: number): Domain<number> {
  if (!Number.isInteger(min) || !Number.isInteger(max) || max < min || max - min >= 2 ** 24) {
    throw new SpecError(`int(${min}, ${max}) needs integers with min <= max and fewer than 2^24 values`);
  }
  return { kind: 'domain', values: Array.from({ length: max - min + 1 }, (_, i) => min + i), min };
}

export function perKey<const K extends string, D extends Decl>(keys: readonly K[], of: D): PerKey<K, D> {
  return { kind: 'perKey', keys, of };
}

export function list<D extends Decl>(length: number, of: D): List<D> {
  return { kind: 'list', length, of };
}

/** Where one variable lives: word index, bit shift and width, and its domain. */
export class Slot<T extends Atom = Atom> {
  constructor(
    /** The variable's path, e.g. `rmState.r2`, for messages. */
    readonly path: string,
    readonly word: number,
    readonly shift: number,
    /** Bits of the code, as a mask (before shifting). */
    readonly mask: number,
    readonly values: readonly T[],
    /** Set for int(): value = min + code. */
    readonly min: number | undefined,
  ) {}
}

/** The slots of a declaration, shaped like it: `v.rmState.r2` is a Slot. */
export type Slots<D> =
  D extends Domain<infer T>
    ? Slot<T>
    : D extends PerKey<infer K, infer E>
      ? { readonly [k in K]: Slots<E> }
      : D extends List<infer E>
        ? readonly Slots<E>[]
        : { readonly [F in keyof D]: Slots<D[F]> };

/** The plain value a declaration reads back as (what init returns and traces show). */
export type ValueOf<D> =
  D extends Domain<infer T>
    ? T
    : D extends PerKey<infer K, infer E>
      ? { readonly [k in K]: ValueOf<E> }
      : D extends List<infer E>
        ? readonly ValueOf<E>[]
        : { readonly [F in keyof D]: ValueOf<D[F]> };

export interface Layout {
  /** Words per state. */
  readonly words: number;
  readonly bits: number;
  /** Every slot, in declaration order. */
  readonly slots: readonly Slot[];
  readonly root: Decl;
  readonly tree: unknown;
}

function isDomain(d: Decl): d is Domain {
  return (d as Domain).kind === 'domain' && Array.isArray((d as Domain).values);
}
function isPerKey(d: Decl): d is PerKey<string, Decl> {
  return (d as PerKey<string, Decl>).kind === 'perKey' && Array.isArray((d as PerKey<string, Decl>).keys);
}
function isList(d: Decl): d is List<Decl> {
  return (d as List<Decl>).kind === 'list' && typeof (d as List<Decl>).length === 'number';
}

function bitsFor(n: number): number {
  let b = 0;
  while (1 << b < n) b++;
  return b;
}

/**
 * Assigns every variable a bit range. A variable never straddles two words, so a
 * read is one shift and one mask.
 */
export function compileLayout(root: Decl): Layout {
  const slots: Slot[] = [];
  let word = 0;
  let used = 0;
  const place = (d: Decl, path: string): unknown => {
    if (typeof d !== 'object' || d === null) {
      throw new SpecError(`layout: ${path || 'the layout'} is not a variable declaration (use bool(), oneOf(...), int(min, max), perKey, list or a record of them)`);
    }
    if (isDomain(d)) {
      const bits = bitsFor(d.values.length);
      if (used + bits > 32) {
        word++;
        used = 0;
      }
      const slot = new Slot(path, word, used, bits === 32 ? -1 : (1 << bits) - 1, d.values, d.min);
      used += bits;
      slots.push(slot);
      return slot;
    }
    if (isPerKey(d)) {
      const out: Record<string, unknown> = {};
      for (const k of d.keys) out[k] = place(d.of, path ? `${path}.${k}` : k);
      return out;
    }
    if (isList(d)) {
      if (!Number.isInteger(d.length) || d.length < 0) throw new SpecError(`layout: ${path} has a list length that is not a whole number`);
      return Array.from({ length: d.length }, (_, i) => place(d.of, `${path}[${i}]`));
    }
    const out: Record<string, unknown> = {};
    for (const [k, sub] of Object.entries(d)) out[k] = place(sub, path ? `${path}.${k}` : k);
    return out;
  };
  const tree = place(root, '');
  const words = slots.length === 0 ? 1 : word + 1;
  return { words, bits: word * 32 + used, slots, root, tree };
}

/** Writes a plain value (as init returns it) into `out` at `base`; names the first bad field. */
export function encodeInto(layout: Layout, value: unknown, out: Int32Array, base: number, what: string): void {
  const walk = (d: Decl, tree: unknown, v: unknown, path: string): void => {
    if (isDomain(d)) {
      const slot = tree as Slot;
      const code = codeOf(slot, v as Atom);
      if (code < 0) throw new SpecError(`${what}: ${path} is ${JSON.stringify(v)}, which is not one of its declared values (${describeValues(slot)})`);
      out[base + slot.word] = (out[base + slot.word]! & ~(slot.mask << slot.shift)) | (code << slot.shift);
      return;
    }
    if (typeof v !== 'object' || v === null) throw new SpecError(`${what}: ${path || 'the state'} is ${JSON.stringify(v)}, but the layout declares ${isList(d) ? 'a list' : 'a record'}`);
    const keys = isPerKey(d) ? d.keys : isList(d) ? Array.from({ length: d.length }, (_, i) => String(i)) : Object.keys(d);
    const record = v as Record<string, unknown>;
    for (const k of Object.keys(record)) {
      if (!keys.includes(k)) throw new SpecError(`${what}: ${path ? `${path}.` : ''}${k} is not in the layout`);
    }
    if (isList(d) && (!Array.isArray(v) || v.length !== d.length)) {
      throw new SpecError(`${what}: ${path} should be a list of ${d.length} elements; it is ${JSON.stringify(v)}`);
    }
    for (const k of keys) {
      const sub = isPerKey(d) ? d.of : isList(d) ? d.of : (d as Record<string, Decl>)[k]!;
      const subPath = isList(d) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      if (!(k in record)) throw new SpecError(`${what}: ${subPath} is missing`);
      walk(sub, (tree as Record<string, unknown>)[k], record[k], subPath);
    }
  };
  walk(layout.root, layout.tree, value, '');
}

/** The plain value of the state at `base`: nested records, arrays and atoms. */
export function decode(layout: Layout, words: Int32Array, base: number): unknown {
  const walk = (d: Decl, tree: unknown): unknown => {
    if (isDomain(d)) {
      const slot = tree as Slot;
      return slot.values[(words[base + slot.word]! >>> slot.shift) & slot.mask];
    }
    if (isList(d)) return (tree as unknown[]).map((t) => walk(d.of, t));
    const out: Record<string, unknown> = {};
    const record = tree as Record<string, unknown>;
    for (const k of Object.keys(record)) out[k] = walk(isPerKey(d) ? d.of : (d as Record<string, Decl>)[k]!, record[k]);
    return out;
  };
  return walk(layout.root, layout.tree);
}

/** The code of a value in a slot, or -1 when it is outside the domain. */
export function codeOf(slot: Slot, v: Atom): number {
  if (slot.min !== undefined) {
    const c = (v as number) - slot.min;
    return Number.isInteger(c) && c >= 0 && c < slot.values.length ? c : -1;
  }
  return slot.values.indexOf(v);
}

export function describeValues(slot: Slot): string {
  const vs = slot.values;
  if (slot.min !== undefined) return `${slot.min}..${slot.min + vs.length - 1}`;
  return vs.map((v) => JSON.stringify(v)).join(', ');
}
