// The terminal trace of a protocol: one line per step — number, time (timed mode),
// the acting node, the kind of action as a tag (coloured, and readable without
// colour), the message or timer or fault — then, indented, only what changed:
// node fields, status, timers, messages put in flight or lost, ghost
// observations, fault counters, and the spec's note()s.
//
//   compact: what the headline does not already say, values cut to fit the line;
//   full: every change (the delivered message leaving the network, the time of a
//         tick, …), values whole, and the initial state in full.
import type { ChalkInstance } from 'chalk';
import type { TraceStep } from '../../core/errors.js';
import { diffValues, type Change } from '../../values/diff.js';
import { formatValue } from '../../values/format.js';
import { msgRef, type NodeLike, type StepInfo, type StepKind, type TraceModel, type WorldLike } from '../model.js';

export type TraceDetail = 'compact' | 'full';

export interface WorldStepOptions {
  readonly color: ChalkInstance;
  readonly detail?: TraceDetail;
  /** Line width the compact mode cuts values to fit (default 100). */
  readonly width?: number;
}

const TAG_WIDTH = 7;

/** The text tag of a step kind, as printed (uppercase FAULT stands out without colour). */
export function kindTag(kind: StepKind): string {
  return kind === 'fault' ? 'FAULT' : kind;
}

export function colourTag(kind: StepKind, c: ChalkInstance, text: string): string {
  switch (kind) {
    case 'deliver':
      return c.cyan(text);
    case 'timer':
      return c.magenta(text);
    case 'step':
      return c.blue(text);
    case 'recover':
      return c.green(text);
    case 'fault':
      return c.red.bold(text);
    case 'tick':
      return c.dim(text);
    default:
      return c.bold(text);
  }
}

/** The text of a step's headline after its tag. */
export function stepText(step: StepInfo): string {
  switch (step.verb) {
    case 'init':
      return 'initial state';
    case 'deliver':
      return step.msg ? `${step.msg.text} from ${step.msg.from}` : step.detail;
    case 'fire':
    case 'step':
      return step.detail;
    case 'tick':
      return step.time !== undefined ? `time ${step.time - 1} → ${step.time}` : (step.label ?? 'tick');
    case 'crash':
    case 'pause':
    case 'resume':
    case 'restart':
    case 'clockJump':
      return step.actor ? `${step.verb}${step.detail ? ' ' + step.detail : ''}` : (step.label ?? step.verb);
    default:
      return step.label ?? step.verb;
  }
}

function statusWord(s: string): string {
  return s;
}

/** `client1.until`, `client1.durable.term`, `client1.state` for the whole state. */
function nodePath(id: string, part: 'state' | 'durable', path: string): string {
  if (part === 'durable') return `${id}.durable${path}`;
  return path === '' ? `${id}.state` : `${id}${path}`;
}

interface Ctx {
  readonly c: ChalkInstance;
  readonly full: boolean;
  /** Columns left for a change line after the indent. */
  readonly room: number;
}

/** A value cut to `max` columns (compact), or whole (full). */
function fmt(v: unknown, x: Ctx, max = x.room): string {
  return formatValue(v, { maxLength: x.full ? undefined : Math.max(16, max) });
}

function changeLine(path: string, ch: Change, x: Ctx): string {
  const field = x.c.cyan(path);
  const left = x.room - path.length - 3;
  if (ch.kind === 'added') return `${field} ${x.c.green('+')} ${fmt(ch.after, x, left)}`;
  if (ch.kind === 'removed') return `${field} ${x.c.red('-')} ${fmt(ch.before, x, left)}`;
  const before = fmt(ch.before, x, Math.floor((left - 3) / 2));
  const after = fmt(ch.after, x, left - 3 - before.length);
  return `${field}: ${before} ${x.c.dim('→')} ${x.c.bold(after)}`;
}

function timerText(d: number | true, timed: boolean): string {
  return timed && typeof d === 'number' ? `armed (due t=${d})` : 'armed';
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** The lines of one node's changes. */
function nodeChanges(id: string, a: NodeLike, b: NodeLike, step: StepInfo, model: TraceModel, x: Ctx): string[] {
  const out: string[] = [];
  const c = x.c;
  const mine = step.actor === id;
  if (a.status !== b.status) {
    const implied = mine && (step.verb === 'crash' || step.verb === 'pause' || step.verb === 'resume' || step.verb === 'restart');
    if (x.full || !implied) out.push(`${c.cyan(id)}: ${statusWord(a.status)} ${c.dim('→')} ${c.bold(statusWord(b.status))}`);
  }
  if (a.state !== b.state) {
    if (a.state === null || b.state === null) {
      // crash (state lost) or restart (state rebuilt): show the state as a whole
      if (b.state === null) {
        if (x.full || !(mine && step.verb === 'crash')) out.push(`${c.cyan(`${id}.state`)}: ${fmt(a.state, x, x.room - id.length - 16)} ${c.dim('→')} null`);
        else out.push(`${c.cyan(id)} ${c.dim('lost')} ${fmt(a.state, x, x.room - id.length - 6)}`);
      } else out.push(`${c.cyan(`${id}.state`)} = ${fmt(b.state, x, x.room - id.length - 9)}`);
    } else {
      for (const ch of diffValues(a.state, b.state)) out.push(changeLine(nodePath(id, 'state', ch.path), ch, x));
    }
  }
  if (a.durable !== b.durable) {
    for (const ch of diffValues(a.durable, b.durable)) out.push(changeLine(nodePath(id, 'durable', ch.path), ch, x));
  }
  const ta = a.timers ?? {};
  const tb = b.timers ?? {};
  if (ta !== tb) {
    const names = [...new Set([...Object.keys(ta), ...Object.keys(tb)])].sort();
    for (const t of names) {
      const da = ta[t];
      const db = tb[t];
      if (da === db) continue;
      const label = `${id} timer ${t}`;
      if (db === undefined) {
        const implied = mine && ((step.verb === 'fire' && step.detail.split(' ')[0] === t) || step.verb === 'crash');
        if (x.full || !implied) out.push(`${c.cyan(label)} ${c.red(step.verb === 'fire' && mine && step.detail.split(' ')[0] === t ? 'fired' : 'disarmed')}`);
      } else out.push(`${c.cyan(label)} ${c.green(da === undefined ? timerText(db, model.timed) : `re-${timerText(db, model.timed)}`)}`);
    }
  }
  if ((a.clockOffset ?? 0) !== (b.clockOffset ?? 0)) {
    out.push(`${c.cyan(`${id} clock offset`)}: ${signed(a.clockOffset ?? 0)} ${c.dim('→')} ${c.bold(signed(b.clockOffset ?? 0))}`);
  }
  if (x.full && (a.startedAt ?? 0) !== (b.startedAt ?? 0)) {
    out.push(`${c.cyan(`${id}.startedAt`)}: ${a.startedAt ?? 0} ${c.dim('→')} ${b.startedAt ?? 0}`);
  }
  return out;
}


/** The changes of one protocol step, as indented lines (without the indent). */
function worldChanges(prev: WorldLike, next: WorldLike, step: StepInfo, model: TraceModel, x: Ctx): string[] {
  const c = x.c;
  const out: string[] = [];
  if (prev.time !== next.time && (x.full || step.verb !== 'tick')) out.push(`${c.cyan('time')}: ${prev.time ?? 0} ${c.dim('→')} ${c.bold(String(next.time ?? 0))}`);
  for (const id of model.nodes) {
    const a = prev.nodes[id];
    const b = next.nodes[id];
    if (a === b || a === undefined || b === undefined) continue;
    out.push(...nodeChanges(id, a, b, step, model, x));
  }
  // Messages: put in flight (sent, duplicated) or taken out (delivered, dropped, lost).
  if (prev.inFlight !== next.inFlight) {
    for (const id of step.sent) {
      const life = model.messages[id]!;
      const m = life.sentAs;
      if (life.duplicateOf === undefined && m.from === step.actor) out.push(`${c.green('sends')} ${m.text} → ${m.to}${m.key.slice(m.base.length)}`);
      else out.push(`${c.green('+')} ${c.cyan('in flight')} ${m.key}${life.duplicateOf !== undefined ? ' (a duplicate)' : ''}`);
    }
    if (x.full && step.delivered !== undefined) out.push(`${c.red('-')} ${c.cyan('in flight')} ${model.messages[step.delivered]!.msg.key} (delivered)`);
    if (x.full && step.verb === 'delay' && step.msg) {
      out.push(`${c.cyan('in flight')} ${step.msg.base}: ${step.msg.key.slice(step.msg.base.length + 1) || 'on time'} ${c.dim('→')} ${c.bold('(delayed)')}`);
    }
    // A partition's note already lists what it cut off.
    const noted = step.verb === 'partition' && step.notes.some((n) => n.startsWith('lost in flight'));
    for (const id of step.lost) {
      const life = model.messages[id]!;
      if (!x.full && (life.end === 'dropped' || noted)) continue; // the headline (or note) says so
      out.push(`${c.red('-')} ${c.cyan('in flight')} ${life.msg.key} ${c.red(life.end === 'dropped' ? '(dropped)' : '(lost)')}`);
    }
  }
  if (prev.observed !== next.observed) {
    for (const ch of diffValues(prev.observed, next.observed)) out.push(changeLine(`observed${ch.path}`, ch, x));
  }
  if (prev.faults !== next.faults && prev.faults !== undefined && next.faults !== undefined) {
    const parts: string[] = [];
    for (const f of Object.keys(next.faults)) {
      const a = prev.faults[f] ?? 0;
      const b = next.faults[f] ?? 0;
      if (a !== b) parts.push(`${f} ${a} → ${b}`);
    }
    if (parts.length) out.push(`${c.cyan('faults')}: ${parts.join(', ')} ${c.dim(`(${step.faults ?? 0} in total)`)}`);
  }
  if (prev.partition !== next.partition && (x.full || (step.verb !== 'partition' && step.verb !== 'heal'))) {
    const p = (v: WorldLike['partition']) => (v === null || v === undefined ? 'none' : `${v[0].join(',')} | ${v[1].join(',')}`);
    out.push(`${c.cyan('partition')}: ${p(prev.partition)} ${c.dim('→')} ${c.bold(p(next.partition))}`);
  }
  const handler = step.kind === 'deliver' || step.kind === 'timer' || step.kind === 'step' || step.kind === 'action';
  // A timer that fired and was not re-armed did change something: it is gone.
  const timer = step.verb === 'fire' && step.actor !== undefined ? step.detail.split(' ')[0] : undefined;
  if (out.length === 0 && timer !== undefined && next.nodes[step.actor!]?.timers?.[timer] === undefined) {
    out.push(`${c.cyan(`${step.actor} timer ${timer}`)} ${c.red('fired')} (disarmed)`);
  }
  if (out.length === 0 && step.notes.length === 0 && (x.full || handler)) out.push(c.dim('(no change)'));
  return out;
}

/** The initial world: one line per node (compact) or per node field (full), then the messages in flight. */
function initialLines(w: WorldLike, model: TraceModel, x: Ctx): string[] {
  const c = x.c;
  const out: string[] = [];
  const idWidth = Math.max(...model.nodes.map((id) => id.length));
  for (const id of model.nodes) {
    const n = w.nodes[id]!;
    if (x.full) {
      out.push(`${c.cyan(id)}: ${n.status}`);
      out.push(`  state = ${fmt(n.state, x)}`);
      if (n.durable !== undefined) out.push(`  durable = ${fmt(n.durable, x)}`);
      if (n.timers !== undefined) out.push(`  timers = ${fmt(n.timers, x)}`);
      if (n.clockOffset !== undefined) out.push(`  clock offset = ${signed(n.clockOffset)}`);
      continue;
    }
    const extra: string[] = [];
    if (n.durable !== undefined) extra.push(`durable ${fmt(n.durable, x)}`);
    const timers = Object.entries(n.timers ?? {});
    if (timers.length) extra.push(`timers ${timers.map(([t, d]) => (model.timed && typeof d === 'number' ? `${t}@${d}` : t)).join(',')}`);
    if (n.clockOffset !== undefined && n.clockOffset !== 0) extra.push(`clock ${signed(n.clockOffset)}`);
    const tail = extra.length ? '  ' + extra.join('  ') : '';
    const status = n.status === 'up' ? '' : n.status + ' ';
    const state = fmt(n.state, x, x.room - idWidth - 2 - status.length - tail.length);
    out.push(`${c.cyan(id.padEnd(idWidth))}  ${status}${state}${c.dim(tail)}`);
  }
  if (w.inFlight.length) {
    const lines = packList(w.inFlight.map((e) => msgRef(e).key), x.full ? Infinity : x.room - 11);
    lines.forEach((l, i) => out.push(i === 0 ? `${c.cyan('in flight')}: ${l}` : `           ${l}`));
  }
  const obs = Object.keys(w.observed);
  if (obs.length) out.push(`${c.cyan('observed')} = ${fmt(w.observed, x)}`);
  if (x.full) {
    if (w.faults !== undefined) out.push(`${c.cyan('faults')} = ${fmt(w.faults, x)}`);
    if (w.partition !== null && w.partition !== undefined) out.push(`${c.cyan('partition')}: ${w.partition[0].join(',')} | ${w.partition[1].join(',')}`);
  }
  return out;
}

/** Items joined with ", " into lines of at most `width` columns (an item longer than that gets a line of its own). */
export function packList(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const it of items) {
    const next = cur === '' ? it : `${cur}, ${it}`;
    if (cur !== '' && [...next].length + 1 > width) {
      lines.push(cur + ',');
      cur = it;
    } else cur = next;
  }
  if (cur !== '') lines.push(cur);
  return lines;
}

/** Word-wraps text to `width` columns; continuation lines start with `hang`. */
export function wrapWords(text: string, width: number, hang = ''): string[] {
  if ([...text].length <= width) return [text];
  const words = text.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    const next = cur === '' ? w : `${cur} ${w}`;
    if (cur !== '' && [...next].length > width) {
      lines.push(cur);
      cur = hang + w;
    } else cur = next;
  }
  if (cur !== '') lines.push(cur);
  return lines;
}

/** One step's rendering: its headline, and its indented body (changes and notes). */
export interface StepBlock {
  readonly head: string;
  readonly body: readonly string[];
}

/** Each step of a protocol trace (states are worlds) as a headline and its changes. */
export function worldStepBlocks(trace: readonly TraceStep[], model: TraceModel, o: WorldStepOptions): { blocks: StepBlock[]; indent: string } {
  const c = o.color;
  const full = o.detail === 'full';
  const width = o.width ?? 100;
  const nWidth = String(Math.max(0, trace.length - 1)).length;
  const maxTime = Math.max(0, ...model.steps.map((s) => s.time ?? 0));
  const tWidth = model.timed ? `t=${maxTime}`.length : 0;
  const actors = model.steps.map((s) => s.actor ?? '');
  const aWidth = Math.min(14, Math.max(0, ...actors.map((a) => a.length)));
  // Changes are indented under the actor column.
  const indent = ' '.repeat(2 + nWidth + 2 + (tWidth ? tWidth + 2 : 0) + 2);
  const x: Ctx = { c, full, room: width - indent.length };
  const blocks = model.steps.map((step, i) => {
    const n = c.dim(String(i).padStart(nWidth));
    const t = tWidth ? c.dim(`t=${step.time ?? 0}`.padEnd(tWidth)) + '  ' : '';
    const actor = aWidth ? (step.actor ?? '').padEnd(aWidth) + '  ' : '';
    const tag = colourTag(step.kind, c, kindTag(step.kind).padEnd(TAG_WIDTH));
    const text = step.kind === 'fault' ? c.red(stepText(step)) : stepText(step);
    const head = `  ${n}  ${t}${c.bold(actor)}${tag}  ${text}`.trimEnd();
    const body =
      i === 0
        ? initialLines(trace[0]!.state as WorldLike, model, x)
        : worldChanges(trace[i - 1]!.state as WorldLike, trace[i]!.state as WorldLike, step, model, x);
    const notes = step.notes.flatMap((note) => wrapWords(`note: ${note}`, full ? Infinity : x.room, '      ').map((l) => c.italic.yellow(l)));
    return { head, body: [...body, ...notes] };
  });
  return { blocks, indent };
}

/** Renders a protocol trace (states are worlds) as numbered steps with their changes. */
export function renderWorldSteps(trace: readonly TraceStep[], model: TraceModel, o: WorldStepOptions): string[] {
  const { blocks, indent } = worldStepBlocks(trace, model, o);
  const lines: string[] = [];
  for (const b of blocks) {
    lines.push(b.head);
    for (const l of b.body) lines.push(indent + l);
  }
  return lines;
}
