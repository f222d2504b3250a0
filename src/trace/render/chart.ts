// A message sequence chart in the terminal: one vertical lane per node, one row per
// step (a run of ticks shares one row). A delivered message is an arrow from its
// sender's lane to its receiver's lane on the row where it arrives, with the step
// that sent it in the right-hand column; a dropped one ends in ✗ half-way. Node
// events are marked on their lane: ● step, ◷ timer, ✗ crash, ↻ restart, ‖ pause,
// ▷ resume, ± clock jump; a paused lane is drawn ┆, a crashed one ·. Partitions and
// heals run across the whole row. Every glyph is one column wide, so the chart
// keeps its shape in any terminal; 6 nodes and 40 steps fit 100 columns.
import type { ChalkInstance } from 'chalk';
import type { TraceStep } from '../../core/errors.js';
import type { StepInfo, TraceModel, WorldLike } from '../model.js';

export interface ChartOptions {
  readonly color: ChalkInstance;
  /** Total width in columns (default 100). */
  readonly width?: number;
  /** A lasso: the step the last one returns to (the last itself: it stays there). */
  readonly loop?: number;
}

type Style = 'lane' | 'deliver' | 'drop' | 'fault' | 'step' | 'timer' | 'recover' | 'dim' | 'bold' | 'plain';

class Row {
  readonly ch: string[];
  readonly st: Style[];
  constructor(width: number) {
    this.ch = new Array<string>(width).fill(' ');
    this.st = new Array<Style>(width).fill('plain');
  }
  put(x: number, text: string, style: Style, limit = this.ch.length): void {
    const chars = [...text];
    for (let i = 0; i < chars.length && x + i < limit; i++) {
      if (x + i < 0) continue;
      this.ch[x + i] = chars[i]!;
      this.st[x + i] = style;
    }
  }
  render(c: ChalkInstance): string {
    let out = '';
    let i = 0;
    const n = this.ch.length;
    while (i < n) {
      let j = i;
      while (j < n && this.st[j] === this.st[i]) j++;
      out += paint(c, this.st[i]!, this.ch.slice(i, j).join(''));
      i = j;
    }
    return out.trimEnd();
  }
}

function paint(c: ChalkInstance, s: Style, text: string): string {
  switch (s) {
    case 'lane':
      return c.dim(text);
    case 'deliver':
      return c.cyan(text);
    case 'drop':
    case 'fault':
      return c.red(text);
    case 'step':
      return c.blue(text);
    case 'timer':
      return c.magenta(text);
    case 'recover':
      return c.green(text);
    case 'dim':
      return c.dim(text);
    case 'bold':
      return c.bold(text);
    default:
      return text;
  }
}

/** Cuts text to n columns, ending in … when cut. */
function cut(text: string, n: number): string {
  const chars = [...text];
  if (n <= 0) return '';
  return chars.length <= n ? text : chars.slice(0, n - 1).join('') + '…';
}

/** A message label that fits n columns: the whole text, or its type with "…". */
function msgLabel(text: string, type: string, n: number): string {
  if ([...text].length <= n) return text;
  if (type.length + 1 <= n && text.length > type.length) return type + '…';
  return cut(type, n);
}

const NODE_GLYPH: Record<string, [string, Style]> = {
  step: ['●', 'step'],
  fire: ['◷', 'timer'],
  crash: ['✗', 'fault'],
  pause: ['‖', 'fault'],
  clockJump: ['±', 'fault'],
  restart: ['↻', 'recover'],
  resume: ['▷', 'recover'],
};

/** Renders the chart; returns no lines for a trace that is not a protocol trace. */
export function renderChart(trace: readonly TraceStep[], model: TraceModel, o: ChartOptions): string[] {
  if (!model.protocol || model.nodes.length === 0 || trace.length < 2) return [];
  const c = o.color;
  const width = o.width ?? 100;
  const nodes = model.nodes;
  const N = nodes.length;
  const last = trace.length - 1;
  // Runs of ticks share a row, numbered `5-6`.
  let nW = String(last).length;
  for (let i = 1; i <= last; i++) {
    if (model.steps[i]!.kind !== 'tick') continue;
    let j = i;
    while (j + 1 <= last && model.steps[j + 1]!.kind === 'tick') j++;
    if (j > i) nW = Math.max(nW, `${i}-${j}`.length);
    i = j;
  }
  const maxT = Math.max(0, ...model.steps.map((s) => s.time ?? 0));
  const tW = model.timed ? `t=${maxT}`.length + 1 : 0;
  const gutter = nW + 1 + tW + 1;
  // A right-hand column for notes ("sent at 3") when the lanes can spare it.
  const NOTE = 13;
  const withNote = Math.floor((width - gutter - NOTE) / N);
  const lane = withNote >= 12 ? Math.min(22, withNote) : Math.max(6, Math.min(22, Math.floor((width - gutter) / N)));
  const lanesEnd = gutter + lane * N;
  const note = width - lanesEnd - 1 >= 10 ? width - lanesEnd - 1 : 0;
  const total = note > 0 ? width : Math.max(lanesEnd, 1);
  const centre = (i: number) => gutter + i * lane + Math.floor((lane - 1) / 2);
  const col = new Map(nodes.map((id, i) => [id, i]));
  const worlds = trace.map((s) => s.state as WorldLike);

  const lines: string[] = [];
  const header = new Row(total);
  nodes.forEach((id, i) => {
    const name = cut(id, lane - 1);
    header.put(centre(i) - Math.floor(([...name].length - 1) / 2), name, 'bold');
  });
  lines.push(header.render(c));

  const laneRow = (w: WorldLike): Row => {
    const r = new Row(total);
    nodes.forEach((id, i) => {
      const status = w.nodes[id]?.status;
      r.put(centre(i), status === 'paused' ? '┆' : status === 'crashed' ? '·' : '│', 'lane');
    });
    return r;
  };
  const gutterText = (r: Row, label: string, time: number | undefined) => {
    r.put(0, label.padStart(nW), 'dim');
    if (tW && time !== undefined) r.put(nW + 1, `t=${time}`, 'dim');
  };
  const noteText = (r: Row, text: string, style: Style = 'dim') => {
    if (note > 0) r.put(lanesEnd + 1, cut(text, note), style);
  };

  // The initial state's lanes, as a first row.
  lines.push(laneRow(worlds[0]!).render(c));
  let i = 1;
  while (i <= last) {
    const step = model.steps[i]!;
    const w = worlds[i]!;
    const r = laneRow(w);
    if (step.kind === 'tick') {
      // A run of ticks is one row.
      let j = i;
      while (j + 1 <= last && model.steps[j + 1]!.kind === 'tick') j++;
      const rr = laneRow(worlds[j]!);
      gutterText(rr, j > i ? `${i}-${j}` : String(i), undefined);
      if (tW) rr.put(nW + 1, `t=${model.steps[j]!.time ?? ''}`, 'dim');
      for (let x = gutter; x < lanesEnd; x++) if (rr.ch[x] === ' ') rr.put(x, '┈', 'dim');
      noteText(rr, j > i ? `tick ×${j - i + 1}` : 'tick');
      lines.push(rr.render(c));
      i = j + 1;
      continue;
    }
    gutterText(r, String(i), step.time);
    drawStep(r, step, model, { centre, col, lane, gutter, lanesEnd, noteText });
    lines.push(r.render(c));
    i++;
  }
  if (o.loop !== undefined) {
    const r = laneRow(worlds[last]!);
    gutterText(r, '↻', undefined);
    const text = o.loop === last ? ' stays here forever ' : ` back to ${o.loop}, forever `;
    const room = lanesEnd - gutter;
    for (let x = gutter; x < lanesEnd; x++) if (r.ch[x] === ' ') r.put(x, '┄', 'recover');
    const t = cut(text, room);
    r.put(gutter + Math.floor((room - [...t].length) / 2), t, 'recover');
    lines.push(r.render(c));
  }
  return lines;
}

interface Geometry {
  centre(i: number): number;
  readonly col: Map<string, number>;
  readonly lane: number;
  readonly gutter: number;
  readonly lanesEnd: number;
  noteText(r: Row, text: string, style?: Style): void;
}

/** Draws an arrow on row r from lane a to lane b (a ≠ b), with a label in its body. */
function arrow(r: Row, g: Geometry, a: number, b: number, label: string, type: string, style: Style, dropped: boolean): void {
  const xa = g.centre(a);
  const xb = g.centre(b);
  const right = xb > xa;
  // A dropped message stops half-way.
  const end = dropped ? Math.round((xa + xb) / 2) : xb;
  const lo = Math.min(xa, end);
  const hi = Math.max(xa, end);
  const body = dropped ? '╌' : '─';
  for (let x = lo; x <= hi; x++) r.put(x, body, style);
  r.put(xa, right ? '├' : '┤', style);
  r.put(end, dropped ? '✗' : right ? '▶' : '◀', style);
  const room = hi - lo - 3;
  const text = msgLabel(label, type, room);
  if (text.length > 0) {
    const start = lo + 2 + Math.floor((room - [...text].length) / 2);
    r.put(start, text, style === 'deliver' ? 'plain' : style);
  }
}

function drawStep(r: Row, step: StepInfo, model: TraceModel, g: Geometry): void {
  const glyph = NODE_GLYPH[step.verb];
  switch (step.verb) {
    case 'deliver':
    case 'drop': {
      const m = step.msg;
      if (!m) break;
      const a = g.col.get(m.from);
      const b = g.col.get(m.to);
      if (a === undefined || b === undefined) break;
      const life = step.verb === 'deliver' ? (step.delivered !== undefined ? model.messages[step.delivered] : undefined) : model.messages[step.lost[0] ?? -1];
      const dropped = step.verb === 'drop';
      if (a === b) {
        r.put(g.centre(a), '↺', dropped ? 'drop' : 'deliver');
        r.put(g.centre(a) + 2, cut((dropped ? 'drop ' : '') + m.text, g.lane - 2), dropped ? 'drop' : 'plain', g.lanesEnd);
      } else arrow(r, g, a, b, m.text, m.type, dropped ? 'drop' : 'deliver', dropped);
      const sent = life ? `sent at ${life.sentAt}` : '';
      g.noteText(r, dropped ? `${sent} ✗` : sent, dropped ? 'drop' : 'dim');
      break;
    }
    case 'duplicate':
    case 'delay': {
      const m = step.msg;
      const a = m && g.col.get(m.from);
      const b = m && g.col.get(m.to);
      if (m && a !== undefined && b !== undefined && a !== b) {
        const lo = Math.min(g.centre(a), g.centre(b));
        const hi = Math.max(g.centre(a), g.centre(b));
        for (let x = lo + 1; x < hi; x++) r.put(x, '┄', 'fault');
        const room = hi - lo - 3;
        const text = msgLabel(`${step.verb === 'duplicate' ? '×2' : 'late'} ${m.text}`, `${step.verb === 'duplicate' ? '×2' : 'late'} ${m.type}`, room);
        r.put(lo + 2 + Math.floor((room - [...text].length) / 2), text, 'fault');
      }
      g.noteText(r, step.verb === 'duplicate' ? 'duplicated' : 'delayed', 'fault');
      break;
    }
    case 'partition':
    case 'heal': {
      const text = step.verb === 'heal' ? ' heal ' : ` ${step.detail} `;
      const style: Style = step.verb === 'heal' ? 'recover' : 'fault';
      for (let x = g.gutter; x < g.lanesEnd; x++) if (r.ch[x] === ' ') r.put(x, '≈', style);
      const room = g.lanesEnd - g.gutter;
      const t = cut(text, room);
      r.put(g.gutter + Math.floor((room - [...t].length) / 2), t, style);
      if (step.verb === 'partition' && step.lost.length) g.noteText(r, `${step.lost.length} lost in flight`, 'fault');
      break;
    }
    default: {
      if (glyph && step.actor !== undefined) {
        const i = g.col.get(step.actor);
        if (i === undefined) break;
        const x = g.centre(i);
        r.put(x, glyph[0], glyph[1]);
        const text = step.verb === 'step' || step.verb === 'fire' ? step.detail : step.verb === 'clockJump' ? step.detail.replace('offset=', '') : step.verb;
        r.put(x + 1, cut(text, g.lane - 2), glyph[1], Math.min(g.lanesEnd, x + g.lane - 1));
      }
    }
  }
}
