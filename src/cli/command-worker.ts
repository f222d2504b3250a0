// The worker side of spec-thread.ts: runs `simulate`, `list` or `replay` off the main
// thread. It reports its phase and a heartbeat in shared memory (WorkerStatus): the
// phase is `load` until the spec module has loaded, `search` while the spec's code
// runs (each call beats), and `idle` while faultline renders and writes the reports.
import { parentPort, workerData } from 'node:worker_threads';
import { describeThrown, isSpecError } from '../core/errors.js';
import { UsageError } from '../core/params.js';
import type { Spec } from '../core/types.js';
import { withCallLimit, withHeartbeat } from './call-limit.js';
import { PHASE, WorkerStatus } from './jobs.js';
import { setLoadHooks } from './loaded-spec.js';
import type { FromSpecThread, SpecThreadData } from './spec-thread.js';
import type { SimulateFlags } from './simulate-run.js';
import type { ReplayFlags } from './replay.js';

export type CommandData =
  | { readonly command: 'simulate'; readonly file: string; readonly flags: SimulateFlags; readonly callLimitMs: number; readonly diagnose: boolean }
  | { readonly command: 'list'; readonly file: string; readonly flags: { typecheck: boolean; json?: boolean }; readonly callLimitMs: number }
  | { readonly command: 'replay'; readonly spec: string; readonly trace?: string; readonly flags: ReplayFlags; readonly callLimitMs: number };

const port = parentPort;
if (port === null) throw new Error('command-worker.js runs in a worker thread (see spec-thread.ts)');
const { data, status } = workerData as SpecThreadData<CommandData>;
const heart = WorkerStatus.writer(status);
const post = (m: FromSpecThread | { type: string; [k: string]: unknown }): void => port.postMessage(m);

// Every spec this command loads: `search` from then on, each call beating; limited
// by node:vm where that is cheap enough (list, replay: a few calls per step), or only
// watched (simulate, whose hang is then re-run with each call limited to name it).
setLoadHooks({
  typechecking: () => heart.phase(PHASE.idle),
  loading: () => heart.phase(PHASE.load),
  loaded: (spec: Spec): Spec => {
    heart.phase(PHASE.search);
    if (data.command === 'simulate' && !data.diagnose) return withHeartbeat(spec, heart.beat);
    return withCallLimit(spec, data.callLimitMs, heart.beat);
  },
});

async function run(): Promise<number> {
  switch (data.command) {
    case 'simulate': {
      const { simulateReport } = await import('./simulate-run.js');
      const { stdout, exit } = await simulateReport(data.file, data.flags, {
        onLoaded: () => post({ type: 'loaded' }),
        onProgress: (stats) => post({ type: 'progress', stats }),
        onSearched: () => heart.phase(PHASE.idle),
        onBeat: heart.beat,
      });
      process.stdout.write(stdout);
      return exit;
    }
    case 'list': {
      const { runList } = await import('./list.js');
      return runList(data.file, data.flags);
    }
    case 'replay': {
      const { runReplay } = await import('./replay.js');
      const { runReplayFolder } = await import('./replay-folder.js');
      return data.trace === undefined ? runReplayFolder(data.spec, data.flags) : runReplay(data.spec, data.trace, data.flags);
    }
  }
}

try {
  const exit = await run();
  heart.phase(PHASE.idle);
  post({ type: 'done', exit });
} catch (e) {
  heart.phase(PHASE.idle);
  const kind = e instanceof UsageError ? 'usage' : isSpecError(e) ? 'spec' : 'internal';
  post({ type: 'thrown', kind, message: e instanceof Error ? e.message : describeThrown(e), stack: e instanceof Error ? e.stack : undefined });
}
