// `faultline list <spec>`: the spec's params, actions and properties. Runs in a spec
// thread (spec-thread.ts), like simulate and replay: loading the module and describing
// the spec run the spec's code.
import { loadCommandSpec } from './loaded-spec.js';
import { paramsText } from './report/text.js';

export async function runList(file: string, flags: { typecheck: boolean; json?: boolean }): Promise<number> {
  const spec = await loadCommandSpec(file, { typecheck: flags.typecheck });
  const d = spec.describe();
  const info = { spec: spec.name, kind: spec.kind, params: spec.params, expect: spec.expect ?? null, ...d };
  if (flags.json) {
    process.stdout.write(JSON.stringify(info, null, 2) + '\n');
    return 0;
  }
  const lines = [`${spec.name} (${spec.kind} spec)`];
  const section = (title: string, items: readonly string[]) => lines.push(`${title}: ${items.length ? items.join(', ') : '(none)'}`);
  lines.push(`params: ${Object.keys(spec.params).length ? paramsText(spec.params) : '(none)'}`);
  section('actions', d.actions);
  section('invariants', d.invariants);
  section('action properties', d.actionProperties);
  section('sometimes', d.sometimes);
  if (d.liveness?.length) section('liveness', d.liveness);
  if (spec.expect) lines.push(`expect: ${spec.expect === 'holds' ? 'holds' : `violates ${spec.expect.violates}`}`);
  for (const [k, v] of Object.entries(d.extra ?? {})) lines.push(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
