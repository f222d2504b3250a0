// What a finished one-thread BFS holds, measured: the heap after gc (heapUsed +
// arrayBuffers) grown since the search started, then what each piece frees when let go,
// beside the bytes a state the search reports. The reports count the visited set, the
// links and the interned parts; not the frontier's buffers (sized by the widest level)
// nor the handler memo (a cache bounded by its entries): `heldPerState` leaves those two
// out, and what no piece freed (compiled code, the model's own tables) is `other`.
// It lets go of pieces by their private fields: a field renamed shows as 0 freed.
// Usage: node --expose-gc bench/held-memory.js <spec.ts> [--faults k=n,...] [name=value ...]
import { loadSpec } from '../dist/spec-file/load.js';
import { resolveParams } from '../dist/core/params.js';
import { Search } from '../dist/explore/search.js';
import { bfs } from '../dist/explore/bfs.js';
import { spaceFor } from '../dist/explore/spaces.js';

if (typeof gc !== 'function') throw new Error('run with node --expose-gc');
const args = process.argv.slice(2);
const fl = args.indexOf('--faults');
const faults = fl >= 0 ? Object.fromEntries(args.splice(fl, 2)[1].split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])) : undefined;
const [file, ...assignments] = args;
const spec = await loadSpec(file, { typecheck: false });
const params = resolveParams(spec.name, spec.params, Object.fromEntries(assignments.map((a) => a.split('='))));
const heap = () => {
  for (let i = 0; i < 4; i++) gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const system = spec.compile(params, { faults });
let search = new Search(system, { liveness: false, recheckRate: 0 });
let space = spaceFor(search);
const start = heap();
bfs(search, space);
const stats = search.stats();
const states = search.storage.links.size;
const codec = space.codec;
const memo = system.transitions?.cache?.memo;
const grown = heap() - start;
const freed = {};
let last = start + grown;
const free = (name, release) => {
  release();
  const h = heap();
  freed[name] = +((last - h) / 1e6).toFixed(2);
  last = h;
};
free('frontier', () => {
  const keys = space.keys ?? {};
  for (const k of ['levels', 'wordLevels', 'level', 'next']) if (k in keys) keys[k] = null; // words (WordKeys), words or objects (StructuralKeys)
});
free('visitedSet', () => (space.seen = null));
free('links', () => (search.stored = space.links = null));
free('restOfSearch', () => (search = space = null));
if (memo) free('handlerMemo', () => ((memo.byNode = memo.empty()), (memo.count = 0)));
if (codec) {
  codec.base = undefined;
  free('internedParts', () => {
    const tables = codec.tables ?? [codec.whole, ...(codec.fields ?? [])];
    for (const t of tables) for (const k of ['parts', 'index', 'pool', 'starts', 'last', 'lanes', 'chain', 'heads']) if (t && k in t) t[k] = null;
  });
}
const other = last - start;
const uncounted = ((freed.frontier ?? 0) + (freed.handlerMemo ?? 0)) * 1e6;
console.log(
  JSON.stringify({
    states,
    reportedPerState: stats.visitedBytesPerState,
    heldPerState: +((grown - uncounted - other) / states).toFixed(1),
    grownMB: +(grown / 1e6).toFixed(2),
    freedMB: freed,
    otherMB: +(other / 1e6).toFixed(2),
  }),
);
