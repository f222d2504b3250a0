// The visited set grows its index incrementally: at the load threshold a doubled
// index is allocated and the entries move over a few per add, so for a while an
// entry may be in the old index or the new one. These tests drive many growths and
// check every answer against a plain Map, in particular while a migration is in
// progress, so that an entry lost or given a second id by the migration fails them.
import { describe, it, expect } from 'vitest';
import { NO_PARENT, VisitedSet } from '../../src/explore/visited.js';
import { rng } from './random.js';

const CHUNK = 1 << 16;

/** Index slots held: one power of two normally, old + doubled (3 * old) while migrating. */
function indexSlots(v: VisitedSet): number {
  const fingerprintBytes = Math.ceil(v.size / CHUNK) * CHUNK * 12;
  return (v.bytes - fingerprintBytes) / 4;
}
const isPow2 = (x: number): boolean => x > 0 && (x & (x - 1)) === 0;
const migrating = (v: VisitedSet): boolean => !isPow2(indexSlots(v));

/** The capacity the index has once no migration is pending, as the old one-shot growth had it. */
function expectedCapacity(initial: number, size: number): number {
  let cap = 16;
  while (cap < initial) cap *= 2;
  while (size > cap * 0.75) cap *= 2;
  return cap;
}

class Reference {
  readonly a: number[] = [];
  readonly b: number[] = [];
  readonly parent: number[] = [];
  readonly ids = new Map<string, number>();
  key(a: number, b: number): string {
    return `${a}:${b}`;
  }
  get(a: number, b: number): number | undefined {
    return this.ids.get(this.key(a, b));
  }
  add(a: number, b: number, parent: number): number {
    const id = this.a.length;
    this.a.push(a);
    this.b.push(b);
    this.parent.push(parent);
    this.ids.set(this.key(a, b), id);
    return id;
  }
  pathTo(id: number): number[] {
    const path: number[] = [];
    for (let cur = id; cur !== NO_PARENT; cur = this.parent[cur]!) path.push(cur);
    return path.reverse();
  }
}

/** Every entry present with its id, fingerprint and parent; `viaAdd` also re-adds each one. */
function checkAll(v: VisitedSet, ref: Reference, viaAdd: boolean, where: string): void {
  if (v.size !== ref.a.length) throw new Error(`${where}: size ${v.size}, expected ${ref.a.length}`);
  for (let id = 0; id < ref.a.length; id++) {
    const a = ref.a[id]!;
    const b = ref.b[id]!;
    if (!v.has(a, b)) throw new Error(`${where}: entry ${id} lost (has)`);
    if (v.fingerprintA(id) !== a || v.fingerprintB(id) !== b) throw new Error(`${where}: entry ${id} fingerprint changed`);
    if (v.parent(id) !== ref.parent[id]) throw new Error(`${where}: entry ${id} parent ${v.parent(id)}, expected ${ref.parent[id]}`);
    if (viaAdd) {
      const got = v.add(a, b, 12345);
      if (got !== id || v.isNew) throw new Error(`${where}: re-adding entry ${id} gave id ${got}, isNew ${v.isNew}`);
    }
  }
  if (v.size !== ref.a.length) throw new Error(`${where}: re-adding changed the size to ${v.size}`);
}

describe('VisitedSet incremental growth', () => {
  it('keeps every entry, id, parent and path through many migrations, checked during each', () => {
    const n = 300_000;
    const initial = 16;
    const v = new VisitedSet(initial);
    const ref = new Reference();
    const rnd = rng(20240611);
    const pick = (k: number): number => rnd() % k;
    const hotA = [0, 1, 0xffffffff, 0x80000000, 0x12345678, 0x00010000];

    let migrations = 0;
    let opsDuringMigration = 0;
    let dupsDuringMigration = 0;
    let hasChecksDuringMigration = 0;
    let wasMigrating = false;
    let opsThisMigration = 0;

    const freshPair = (): [number, number] => {
      for (;;) {
        let a: number;
        const r = pick(100);
        if (r < 10 && ref.a.length > 0) a = ref.a[pick(ref.a.length)]!; // lane A of an existing entry
        else if (r < 13) a = hotA[pick(hotA.length)]!; // a few lane A values shared by hundreds
        else if (r < 18 && ref.a.length > 0) a = (ref.a[pick(ref.a.length)]! ^ (1 << (16 + pick(16)))) >>> 0; // same low bits
        else a = rnd();
        const b = pick(100) < 5 && ref.b.length > 0 ? ref.b[pick(ref.b.length)]! : rnd();
        if (ref.get(a, b) === undefined) return [a, b];
      }
    };

    while (ref.a.length < n) {
      const m = migrating(v);
      if (m) opsDuringMigration++;
      if (ref.a.length > 0 && pick(100) < (m ? 30 : 10)) {
        // Re-add a known fingerprint: during a migration it may sit in either index.
        const id = pick(4) === 0 ? ref.a.length - 1 - pick(Math.min(ref.a.length, 64)) : pick(ref.a.length);
        const got = v.add(ref.a[id]!, ref.b[id]!, 777);
        if (got !== id || v.isNew) throw new Error(`re-add of ${id} gave ${got}, isNew ${v.isNew}`);
        if (m) dupsDuringMigration++;
      } else {
        const [a, b] = freshPair();
        const parent = ref.a.length === 0 || pick(50) === 0 ? NO_PARENT : pick(ref.a.length);
        const want = ref.add(a, b, parent);
        const got = v.add(a, b, parent);
        if (got !== want || !v.isNew) throw new Error(`insert of ${want} gave ${got}, isNew ${v.isNew}`);
      }

      const nowMigrating = migrating(v);
      const slots = indexSlots(v);
      const cap = expectedCapacity(initial, v.size);
      if (nowMigrating ? slots !== (cap / 2) * 3 : slots !== cap) {
        throw new Error(`size ${v.size}: ${slots} index slots counted in bytes (capacity ${cap}, migrating ${nowMigrating})`);
      }

      if (nowMigrating) {
        if (!wasMigrating) {
          migrations++;
          opsThisMigration = 0;
        }
        opsThisMigration++;
        // Present and absent lookups while entries are split between the indexes;
        // `has` must not move anything.
        const bytesBefore = v.bytes;
        for (let k = 0; k < 4; k++) {
          const id = pick(ref.a.length);
          if (!v.has(ref.a[id]!, ref.b[id]!)) throw new Error(`has(${id}) false during migration`);
          const [a, b] = freshPair();
          if (v.has(a, b)) throw new Error(`has(${a}, ${b}) true for an absent fingerprint during migration`);
          const sameA = ref.a[id]!;
          const otherB = (ref.b[id]! ^ 0x5bd1e995) >>> 0;
          if (ref.get(sameA, otherB) === undefined && v.has(sameA, otherB)) throw new Error(`has: lane A of ${id} with another lane B`);
          hasChecksDuringMigration += 3;
        }
        if (v.bytes !== bytesBefore) throw new Error('has changed the index');
        if (pick(8) === 0) {
          const id = 1 + pick(ref.a.length - 1);
          const parent = pick(id);
          v.setParent(id, parent);
          ref.parent[id] = parent;
          expect(v.pathTo(id)).toEqual(ref.pathTo(id));
        }
        // Every entry, without disturbing the migration: at its start (nearly all
        // still only in the old index) and every 300 operations into it.
        if (opsThisMigration % 300 === 1 && v.size > 1000) {
          checkAll(v, ref, false, `during migration ${migrations} at size ${v.size}`);
        }
      } else if (wasMigrating) {
        // A migration just finished: the old index is gone, so all must be in the new one.
        checkAll(v, ref, true, `after migration ${migrations} at size ${v.size}`);
      }
      wasMigrating = migrating(v);
    }

    checkAll(v, ref, true, 'at the end');
    for (let k = 0; k < 200; k++) {
      const id = pick(ref.a.length);
      expect(v.pathTo(id)).toEqual(ref.pathTo(id));
    }
    expect(v.size).toBe(n);
    // The test has to have exercised what it is about.
    expect(migrations).toBeGreaterThanOrEqual(12); // growths from 13, 25 and 49 entries finish within one add
    expect(opsDuringMigration).toBeGreaterThan(5_000);
    expect(dupsDuringMigration).toBeGreaterThan(1_000);
    expect(hasChecksDuringMigration).toBeGreaterThan(20_000);
  });

  it('tells apart hundreds of fingerprints sharing lane A across growths', () => {
    const v = new VisitedSet(1);
    const ref = new Reference();
    for (let i = 0; i < 4_000; i++) {
      const a = [7, 7 + 1024, 0xdeadbeef][i % 3]!;
      const b = Math.imul(i, 0x9e3779b1) >>> 0;
      expect(v.add(a, b, i - 1)).toBe(ref.add(a, b, i - 1));
      expect(v.isNew).toBe(true);
      if (i % 97 === 0) checkAll(v, ref, true, `at ${i}`);
      expect(v.has(a, (b ^ 1) >>> 0)).toBe(false);
    }
    checkAll(v, ref, true, 'at the end');
    expect(v.pathTo(3_999)).toEqual(ref.pathTo(3_999));
  });

  it('finishes a migration on lookup hits alone, with nothing inserted', () => {
    const v = new VisitedSet(1 << 12);
    const ref = new Reference();
    const rnd = rng(7);
    while (!migrating(v) && v.size < 1 << 13) {
      const a = rnd();
      const b = rnd();
      v.add(a, b, NO_PARENT);
      ref.add(a, b, NO_PARENT);
    }
    expect(v.size).toBe((3 << 12) / 4 + 1);
    expect(indexSlots(v)).toBe(3 << 12);
    checkAll(v, ref, true, 'during a migration driven by hits');
    expect(migrating(v)).toBe(false);
    expect(indexSlots(v)).toBe(2 << 12);
    checkAll(v, ref, true, 'after a migration driven by hits');
  });

  it('keeps the one-shot growth footprint: at most ~21 bytes per state once large', () => {
    const v = new VisitedSet();
    for (let i = 0; i < 2_000_000; i++) v.add(Math.imul(i, 0x9e3779b1) >>> 0, i ^ 0x5bd1e995, i - 1);
    expect(migrating(v)).toBe(false);
    expect(v.bytes / v.size).toBeLessThan(22);
  });
});
