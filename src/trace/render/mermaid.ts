// A counterexample as a Mermaid sequenceDiagram: one participant per node, an
// arrow per delivered message (drawn where it arrives), a cross for a dropped one,
// notes for timers, local steps, crashes, pauses, partitions and ticks. A core
// spec's trace (no nodes) becomes a list of notes over one "spec" participant.
import type { TraceStep } from '../../core/errors.js';
import { formatValue } from '../../values/format.js';
import { diffValues } from '../../values/diff.js';
import type { TraceModel } from '../model.js';
import { stepText } from './world-steps.js';

export interface MermaidOptions {
  /** A title (Mermaid front matter). */
  readonly title?: string;
  /** The violated property and its message, as a final note. */
  readonly violation?: { readonly property: string; readonly message: string };
  /** A lasso's loop index: a note says where the behaviour goes on forever. */
  readonly loop?: number;
}

/** "↻ back to step 2 …" for a lasso ending at step `last`. */
export function loopNote(loop: number, last: number): string {
  return loop === last ? `↻ stays at step ${last} forever` : `↻ back to step ${loop}: steps ${loop + 1}–${last} repeat forever`;
}

/** Text Mermaid shows as is: `#` and `;` are entity-escaped, line breaks and `%%` removed. */
export function mermaidText(s: string): string {
  return s
    .replace(/[#;]/g, (ch) => (ch === '#' ? '#35;' : '#59;'))
    .replace(/[\r\n]+/g, ' ')
    .replace(/%%/g, '%#37;')
    .replace(/<(?=\/?[a-zA-Z])/g, '#lt;');
}

/** A participant id Mermaid accepts: letters, digits and _ (an alias shows the real name). */
function participantId(id: string, i: number): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(id) && !/^(end|participant|actor|note|loop|alt|else|opt|par|and|rect|critical|break|box|title|autonumber|activate|deactivate)$/i.test(id) ? id : `n${i}`;
}

export function renderMermaid(trace: readonly TraceStep[], model: TraceModel, o: MermaidOptions = {}): string {
  const lines: string[] = [];
  if (o.title) lines.push('---', `title: ${JSON.stringify(o.title)}`, '---');
  lines.push('sequenceDiagram');
  if (!model.protocol) {
    lines.push('  participant spec');
    model.steps.forEach((s, i) => {
      if (i === 0) {
        lines.push(`  Note over spec: 0 initial state ${mermaidText(formatValue(trace[0]!.state, { maxLength: 120 }))}`);
        return;
      }
      const changes = diffValues(trace[i - 1]!.state, trace[i]!.state)
        .map((ch) => `${ch.path.replace(/^\./, '')}=${formatValue(ch.after ?? null, { maxLength: 40 })}`)
        .join(', ');
      lines.push(`  Note over spec: ${i} ${mermaidText(s.label ?? '?')}${changes ? ' ' + mermaidText(changes) : ''}`);
    });
  } else {
    const ids = new Map(model.nodes.map((id, i) => [id, participantId(id, i)]));
    for (const [id, pid] of ids) lines.push(pid === id ? `  participant ${id}` : `  participant ${pid} as ${mermaidText(id)}`);
    const first = ids.get(model.nodes[0]!)!;
    const lastId = ids.get(model.nodes[model.nodes.length - 1]!)!;
    const all = first === lastId ? first : `${first},${lastId}`;
    const p = (id: string | undefined) => (id === undefined ? undefined : ids.get(id));
    model.steps.forEach((s, i) => {
      if (i === 0) {
        for (const id of s.sent) {
          const m = model.messages[id]!.msg;
          lines.push(`  Note over ${p(m.from) ?? first}: 0 sends ${mermaidText(m.text)} to ${mermaidText(m.to)}`);
        }
        return;
      }
      const t = model.timed && s.time !== undefined ? ` (t=${s.time})` : '';
      const text = mermaidText(stepText(s));
      switch (s.verb) {
        case 'deliver': {
          const m = s.msg;
          const life = s.delivered !== undefined ? model.messages[s.delivered] : undefined;
          if (m && p(m.from) && p(m.to)) {
            lines.push(`  ${p(m.from)}->>${p(m.to)}: ${i} ${mermaidText(m.text)}${life ? ` (sent at ${life.sentAt})` : ''}${t}`);
          } else lines.push(`  Note over ${all}: ${i} deliver ${mermaidText(s.detail)}${t}`);
          break;
        }
        case 'drop': {
          const m = s.msg;
          if (m && p(m.from) && p(m.to)) lines.push(`  ${p(m.from)}-x${p(m.to)}: ${i} DROPPED ${mermaidText(m.text)}${t}`);
          else lines.push(`  Note over ${all}: ${i} FAULT ${text}${t}`);
          break;
        }
        case 'duplicate':
        case 'delay': {
          const m = s.msg;
          if (m && p(m.from) && p(m.to)) lines.push(`  ${p(m.from)}--)${p(m.to)}: ${i} FAULT ${s.verb} ${mermaidText(m.text)}${t}`);
          else lines.push(`  Note over ${all}: ${i} FAULT ${text}${t}`);
          break;
        }
        case 'tick':
          lines.push(`  Note over ${all}: ${i} tick${t}`);
          break;
        case 'partition':
        case 'heal':
          lines.push(`  Note over ${all}: ${i} ${s.kind === 'fault' ? 'FAULT ' : ''}${mermaidText(s.label ?? s.verb)}${t}`);
          break;
        default: {
          const where = p(s.actor);
          const tag = s.kind === 'fault' ? 'FAULT ' : s.kind === 'timer' ? 'timer ' : s.kind === 'step' ? 'step ' : '';
          if (where) lines.push(`  Note over ${where}: ${i} ${tag}${text}${t}`);
          else lines.push(`  Note over ${all}: ${i} ${tag}${mermaidText(s.label ?? s.verb)}${t}`);
        }
      }
      for (const n of s.notes) lines.push(`  Note right of ${p(s.actor) ?? lastId}: ${mermaidText(n)}`);
    });
    if (o.loop !== undefined) lines.push(`  Note over ${all}: ${mermaidText(loopNote(o.loop, trace.length - 1))}`);
    if (o.violation) lines.push(`  Note over ${all}: ✗ ${mermaidText(o.violation.property)}: ${mermaidText(o.violation.message)}`);
    return lines.join('\n') + '\n';
  }
  if (o.loop !== undefined) lines.push(`  Note over spec: ${mermaidText(loopNote(o.loop, trace.length - 1))}`);
  if (o.violation) lines.push(`  Note over spec: ✗ ${mermaidText(o.violation.property)}: ${mermaidText(o.violation.message)}`);
  return lines.join('\n') + '\n';
}
