// A checkpoint on disk: one file, DIR/checkpoint.fl, written whole or not at all (a
// temporary file, fsync, then rename), so a crash while writing leaves the previous
// checkpoint in place. Layout: a magic line, a JSON header (what was saved and the
// byte length of every section), then the sections: typed arrays as their raw
// little-endian bytes, and one section of other values in V8's serialisation
// (structured clone: bigints, nested arrays).
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { UsageError } from '../../core/params.js';

const MAGIC = 'FAULTLINE-CHECKPOINT 1\n';
export const CHECKPOINT_FILE = 'checkpoint.fl';
/** fs.writeSync and readSync move at most 2 GiB a call: columns go in pieces. */
const PIECE = 1 << 30;

export type Column = Int32Array | Uint32Array | Float64Array | Uint8Array;
const KINDS = { i32: Int32Array, u32: Uint32Array, f64: Float64Array, u8: Uint8Array } as const;
type Kind = keyof typeof KINDS;

function kindOf(c: Column): Kind {
  if (c instanceof Int32Array) return 'i32';
  if (c instanceof Uint32Array) return 'u32';
  if (c instanceof Float64Array) return 'f64';
  return 'u8';
}

/** What one checkpoint holds: a JSON header, typed columns and other (cloneable) values. */
export class CheckpointData {
  readonly columns = new Map<string, Column>();
  readonly values = new Map<string, unknown>();
  constructor(readonly header: Record<string, unknown> = {}) {}

  column(name: string): Column {
    const c = this.columns.get(name);
    if (c === undefined) throw new Error(`internal: checkpoint has no column ${name}`);
    return c;
  }

  int32(name: string): Int32Array {
    return this.column(name) as Int32Array;
  }

  value<T>(name: string): T {
    if (!this.values.has(name)) throw new Error(`internal: checkpoint has no value ${name}`);
    return this.values.get(name) as T;
  }
}

interface Section {
  readonly name: string;
  readonly kind: Kind | 'values';
  readonly bytes: number;
}

/** Writes `data` as DIR's checkpoint (atomically); returns the bytes written. */
export function writeCheckpoint(dir: string, data: CheckpointData): number {
  const file = path.join(dir, CHECKPOINT_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  const values = v8.serialize(Object.fromEntries(data.values));
  const sections: Section[] = [...data.columns].map(([name, c]) => ({ name, kind: kindOf(c), bytes: c.byteLength }));
  sections.push({ name: 'values', kind: 'values', bytes: values.byteLength });
  const header = Buffer.from(JSON.stringify({ header: data.header, sections }));
  const fd = fs.openSync(tmp, 'w');
  let written = 0;
  const put = (b: Uint8Array) => {
    for (let at = 0; at < b.byteLength; ) at += fs.writeSync(fd, b, at, Math.min(PIECE, b.byteLength - at));
    written += b.byteLength;
  };
  try {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.byteLength);
    put(Buffer.from(MAGIC));
    put(length);
    put(header);
    for (const c of data.columns.values()) put(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
    put(values);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  return written;
}

/** The header of DIR's checkpoint (without loading its columns). */
export function readCheckpointHeader(dir: string): Record<string, unknown> {
  const { fd, header } = open(dir);
  fs.closeSync(fd);
  return header.header;
}

/** DIR's checkpoint, whole. */
export function readCheckpoint(dir: string): CheckpointData {
  const { fd, header, offset } = open(dir);
  const data = new CheckpointData(header.header);
  let at = offset;
  const take = (into: Uint8Array) => {
    for (let got = 0; got < into.byteLength; ) {
      const n = fs.readSync(fd, into, got, Math.min(PIECE, into.byteLength - got), at + got);
      if (n === 0) throw damaged(dir, 'it ends early');
      got += n;
    }
    at += into.byteLength;
  };
  try {
    for (const s of header.sections) {
      if (s.kind === 'values') {
        const bytes = Buffer.alloc(s.bytes);
        take(bytes);
        for (const [k, v] of Object.entries(v8.deserialize(bytes) as Record<string, unknown>)) data.values.set(k, v);
      } else {
        const Ctor = KINDS[s.kind];
        const c = new Ctor(s.bytes / Ctor.BYTES_PER_ELEMENT);
        take(new Uint8Array(c.buffer));
        data.columns.set(s.name, c);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return data;
}

function damaged(dir: string, why: string): UsageError {
  return new UsageError(`${path.join(dir, CHECKPOINT_FILE)} is not a faultline checkpoint that can be read (${why})`);
}

function open(dir: string): { fd: number; header: { header: Record<string, unknown>; sections: Section[] }; offset: number } {
  const file = path.join(dir, CHECKPOINT_FILE);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `--resume ${dir}: there is no checkpoint there (${CHECKPOINT_FILE} is missing)` : `--resume ${dir}: cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    const head = Buffer.alloc(MAGIC.length + 4);
    if (fs.readSync(fd, head, 0, head.length, 0) !== head.length || head.subarray(0, MAGIC.length).toString() !== MAGIC) throw damaged(dir, 'no checkpoint header');
    const length = head.readUInt32LE(MAGIC.length);
    const json = Buffer.alloc(length);
    if (fs.readSync(fd, json, 0, length, head.length) !== length) throw damaged(dir, 'it ends early');
    let header: { header: Record<string, unknown>; sections: Section[] };
    try {
      header = JSON.parse(json.toString());
    } catch {
      throw damaged(dir, 'its header is not JSON');
    }
    const total = header.sections.reduce((n, s) => n + s.bytes, head.length + length);
    if (fs.fstatSync(fd).size !== total) throw damaged(dir, `it holds ${fs.fstatSync(fd).size} bytes, its header says ${total}`);
    return { fd, header, offset: head.length + length };
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}
