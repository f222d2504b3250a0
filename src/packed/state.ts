// The view a packed spec's code gets of a state: `s.get(slot)` reads a variable,
// `s.set(slot, value)` writes one. One class for every view, so each call site
// stays monomorphic and the reads inline to a shift and a mask.
import { SpecError } from '../core/errors.js';
import { codeOf, describeValues, type Atom, type Slot } from './layout.js';

export class PackedState {
  /** The words the view reads, and where this state starts in them. */
  words: Int32Array;
  base = 0;
  /** Whether set() is allowed (a draft) or an error (a stored state). */
  readonly writable: boolean;
  /** Set by set(): the draft differs from the state it was reset to. */
  dirty = false;

  constructor(words: Int32Array, writable: boolean) {
    this.words = words;
    this.writable = writable;
  }

  get<T extends Atom>(slot: Slot<T>): T {
    return slot.values[(this.words[this.base + slot.word]! >>> slot.shift) & slot.mask]!;
  }

  /** Writes a variable of the draft; returns the draft, so writes chain. */
  set<T extends Atom>(slot: Slot<T>, value: T): this {
    // The caller (the action or property running) is named where this is caught.
    if (!this.writable) throw new SpecError(`called set(${slot.path}); only actions may change the state`);
    const code = codeOf(slot, value);
    if (code < 0) throw new SpecError(`set ${slot.path} to ${JSON.stringify(value)}, which is not one of its declared values (${describeValues(slot)})`);
    const i = this.base + slot.word;
    this.words[i] = (this.words[i]! & ~(slot.mask << slot.shift)) | (code << slot.shift);
    this.dirty = true;
    return this;
  }

  /** Makes this draft a copy of the state at `from[at..]`. */
  reset(from: Int32Array, at: number, W: number): void {
    const w = this.words;
    for (let k = 0; k < W; k++) w[k] = from[at + k]!;
    this.dirty = false;
  }
}
