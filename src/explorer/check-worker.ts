// The worker thread behind "find the shortest violation from here" (searches.ts):
// it loads the spec file once, and for each request walks the path (as the server
// does), searches breadth-first from the state it reaches, and posts back progress
// and the violation's steps as path keys — keys, not states, so nothing of the
// spec's values has to cross threads.
import { parentPort, workerData } from 'node:worker_threads';
import { check } from '../check/check.js';
import { loadSpec } from '../spec-file/load.js';
import { Explorer, type PathRequest } from './api.js';
import { specOf, startingAt } from './from-state.js';
import type { FromWorker, ToWorker } from './searches.js';

const port = parentPort;
if (port === null) throw new Error('check-worker.js runs in a worker thread (see searches.ts)');
const { file } = workerData as { file: string };
const post = (m: FromWorker): void => port.postMessage(m);

const loaded = loadSpec(file, { typecheck: false }).then(
  (spec) => new Explorer(spec, file, { params: {} }),
  (e: unknown) => e as Error,
);

function run(id: number, req: PathRequest, stop: SharedArrayBuffer, explorer: Explorer): FromWorker {
  const { session } = explorer.compiled(req.params, req.faults);
  const walked = session.walk(req.init, req.path);
  if (walked.error) return { type: 'done', id, verdict: 'error', message: walked.error.message };
  if (walked.stopped) return { type: 'done', id, verdict: 'error', message: `step ${walked.stopped.step} (${walked.stopped.key}) is not enabled` };
  const here = walked.trace[walked.trace.length - 1]!.state;
  const flag = new Int32Array(stop);
  // At step 0 the search starts from every initial state, as `check` does: the
  // student has not chosen one yet (the answer says which it starts from).
  const atStart = req.path.length === 0;
  const starts = atStart ? Array.from({ length: session.initialCount }, (_, i) => session.initialState(i)) : [here];
  const system = startingAt(session.system, starts);
  const r = check(specOf(explorer.spec.name, system), {
    ignoreExpect: true,
    shouldStop: () => Atomics.load(flag, 0) !== 0,
    onProgress: (stats) => post({ type: 'progress', id, stats }),
    progressIntervalMs: 250,
  });
  if (r.verdict === 'error') return { type: 'done', id, verdict: 'error', message: r.error?.message ?? 'the search failed', stats: r.stats };
  const v = r.violation;
  if (v === undefined) return { type: 'done', id, verdict: r.verdict, stats: r.stats, message: r.incomplete?.message };
  const init = atStart ? session.initialIndexOf(v.trace[0]!.state) : req.init;
  const keys = init < 0 ? undefined : explorer.keysOf({ ...req, init }, v.trace);
  if (keys === undefined) return { type: 'done', id, verdict: 'error', message: 'the counterexample found does not replay step by step (a nondeterministic spec?)', stats: r.stats };
  // A lasso: the step of the whole path (the path searched from, then keys) its last state returns to.
  const loop = v.loop === undefined ? undefined : req.path.length + v.loop;
  return { type: 'done', id, verdict: 'violation', stats: r.stats, property: v.property, kind: v.kind, message: v.message, init, keys, ...(loop !== undefined ? { loop } : {}) };
}

port.on('message', (m: ToWorker) => {
  void loaded.then((explorer) => {
    if (explorer instanceof Error) return post({ type: 'done', id: m.id, verdict: 'error', message: explorer.message });
    try {
      post(run(m.id, m.req, m.stop, explorer));
    } catch (e) {
      post({ type: 'done', id: m.id, verdict: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
});
