// A counterexample as one self-contained HTML page (no network access): the
// message sequence chart as SVG (each message a diagonal arrow from the step that
// sent it to the step that delivered it), the step list with its changes, and a
// state panel showing the whole state after the selected step, its changed fields
// highlighted. Click a step (in the list or the chart) or use ↑/↓ to select one.
import type { TraceStep } from '../../core/errors.js';
import { diffValues } from '../../values/diff.js';
import { formatValue } from '../../values/format.js';
import { kindOf, recordEntries, seqItems } from '../../values/kinds.js';
import { sortedMapEntries, sortedRecordEntries, sortedSetItems } from '../../values/compare.js';
import { indexSegment, keySegment, mapKeySegment } from '../../values/path.js';
import { msgRef, type StepInfo, type TraceModel, type WorldLike } from '../model.js';
import { kindTag, stepText, worldStepBlocks } from './world-steps.js';
import { Chalk } from 'chalk';
import { loopNote } from './mermaid.js';

export interface HtmlOptions {
  readonly title: string;
  /** Lines under the title: the verdict, the params, the trace summary. */
  readonly subtitle?: readonly string[];
  readonly violation?: { readonly property: string; readonly message: string };
  /** A lasso's loop index: marked under the steps. */
  readonly loop?: number;
}

/** One node of the state tree: label, value (leaves), children, highlight (1 changed, 2 holds a change). */
interface TreeNode {
  l: string;
  v?: string;
  c?: TreeNode[];
  h?: 1 | 2;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** A world as the panel shows it: in-flight messages as one line each. */
function display(state: unknown, protocol: boolean): unknown {
  if (!protocol) return state;
  const w = state as WorldLike;
  return {
    ...(w.time !== undefined ? { time: w.time } : {}),
    nodes: w.nodes,
    inFlight: w.inFlight.map((e) => msgRef(e).key),
    observed: w.observed,
    ...(w.faults !== undefined ? { faults: w.faults } : {}),
    ...(w.partition !== undefined ? { partition: w.partition } : {}),
  };
}

const NODE_ORDER = ['status', 'state', 'durable', 'timers', 'clockOffset', 'startedAt'];
/** `.nodes.client1` (a node record of a world). */
function protocolNode(path: string): boolean {
  return /^\.nodes(\.[A-Za-z_$][\w$]*|\["[^"]*"\])$/.test(path);
}

function tree(v: unknown, label: string, path: string, changed: ReadonlySet<string>, within: ReadonlySet<string>): TreeNode {
  const node: TreeNode = { l: label };
  if (changed.has(path)) node.h = 1;
  else if (within.has(path)) node.h = 2;
  const kind = kindOf(v);
  const child = (x: unknown, l: string, seg: string) => tree(x, l, path + seg, changed, within);
  switch (kind) {
    case 'record': {
      let entries = path === '' || path === '.nodes' ? recordEntries(v as object) : sortedRecordEntries(v as object);
      if (protocolNode(path)) entries = [...entries].sort(([a], [b]) => NODE_ORDER.indexOf(a) - NODE_ORDER.indexOf(b));
      node.c = entries.map(([k, x]) => child(x, k, keySegment(k)));
      if (node.c.length === 0) node.v = '{}';
      break;
    }
    case 'map':
      node.c = sortedMapEntries(v as object).map(([k, x]) => child(x, formatValue(k), mapKeySegment(k)));
      if (node.c.length === 0) node.v = 'Map{}';
      break;
    case 'seq': {
      const items = seqItems(v as object);
      if (items.length > 0 && items.every((x) => typeof x === 'string' || typeof x === 'number') && path === '.inFlight') {
        node.c = items.map((x, i) => child(x, String(i), indexSegment(i)));
      } else node.c = items.map((x, i) => child(x, `[${i}]`, indexSegment(i)));
      if (node.c.length === 0) node.v = '[]';
      break;
    }
    case 'set':
      node.v = formatValue(v);
      if (sortedSetItems(v as object).length === 0) node.v = 'Set{}';
      break;
    default:
      node.v = formatValue(v);
  }
  // A small composite reads better on one line.
  if (node.c && node.c.length > 0 && node.c.every((c) => c.c === undefined) && node.h !== 2) {
    const line = formatValue(v);
    if (line.length <= 60 && kind !== 'record' && kind !== 'map') {
      node.v = line;
      delete node.c;
    }
  }
  return node;
}

/** Paths that changed, and every path that holds one. */
function changedPaths(before: unknown, after: unknown): { changed: Set<string>; within: Set<string> } {
  const changed = new Set<string>();
  const within = new Set<string>();
  for (const ch of diffValues(before, after)) {
    changed.add(ch.path);
    // Every proper prefix ending at a segment boundary.
    const p = ch.path;
    for (let i = p.length - 1; i >= 0; i--) {
      const c = p[i];
      if (c === '.' || c === '[') within.add(p.slice(0, i));
    }
    within.add('');
  }
  return { changed, within };
}

/** The state trees of every step, with their highlights. */
function stateTrees(trace: readonly TraceStep[], protocol: boolean): TreeNode[] {
  const shown = trace.map((s) => display(s.state, protocol));
  return shown.map((s, i) => {
    const { changed, within } = i === 0 ? { changed: new Set<string>(), within: new Set<string>() } : changedPaths(shown[i - 1], s);
    return tree(s, 'state', '', changed, within);
  });
}

// ------------------------------------------------------------------ SVG chart

const ROW = 30;
const TOP = 46;
const LEFT = 64;
const GAP = 180;
/** Room right of the lanes for what happens to the whole system (ticks, partitions). */
const NOTE = 260;

/** The sequence chart as SVG (also drawn, growing, by the explorer: src/explorer/). */
export function svgChart(model: TraceModel, trace: readonly TraceStep[]): string {
  const nodes = model.nodes;
  const n = trace.length;
  const lanesEnd = LEFT + GAP * Math.max(1, nodes.length);
  const width = lanesEnd + NOTE;
  const height = TOP + ROW * n + 30;
  const x = (id: string) => LEFT + GAP / 2 + GAP * nodes.indexOf(id);
  const y = (i: number) => TOP + ROW * i + ROW / 2;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" id="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="message sequence chart">`,
    '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#0b6e99"/></marker></defs>',
  );
  // Row backgrounds: clickable.
  for (let i = 0; i < n; i++) {
    const s = model.steps[i]!;
    out.push(
      `<g class="row k-${s.kind}" data-step="${i}"><rect x="0" y="${TOP + ROW * i}" width="${width}" height="${ROW}"/>` +
        `<text class="num" x="6" y="${y(i) + 4}">${i}${model.timed && s.time !== undefined ? ` t=${s.time}` : ''}</text></g>`,
    );
  }
  // Lanes, drawn per step by status.
  nodes.forEach((id) => {
    out.push(`<text class="lane-name" x="${x(id)}" y="${TOP - 14}" text-anchor="middle">${escapeHtml(id)}</text>`);
    for (let i = 0; i < n; i++) {
      const status = (trace[i]!.state as WorldLike).nodes[id]?.status ?? 'up';
      out.push(`<line class="lane ${status}" x1="${x(id)}" y1="${TOP + ROW * i}" x2="${x(id)}" y2="${TOP + ROW * (i + 1)}"/>`);
    }
  });
  // Messages.
  for (const m of model.messages) {
    const from = m.msg.from;
    const to = m.msg.to;
    if (!nodes.includes(from) || !nodes.includes(to)) continue;
    const x1 = x(from);
    const y1 = y(m.sentAt);
    const endRow = m.endAt ?? n - 1;
    let x2 = x(to);
    const y2 = m.endAt === undefined ? y(n - 1) + ROW / 2 : y(endRow);
    const cls = m.end === 'delivered' ? 'msg' : m.end === 'in-flight' ? 'msg pending' : 'msg lost';
    // A lost message stops short of its receiver (and of the lanes between).
    if (m.end === 'dropped' || m.end === 'lost') x2 = x1 + (x2 - x1) * 0.45;
    const marker = m.end === 'delivered' ? ' marker-end="url(#head)"' : '';
    out.push(`<line class="${cls}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"${marker}><title>${escapeHtml(`${m.msg.key}: sent at step ${m.sentAt}, ${m.end === 'in-flight' ? 'still in flight' : `${m.end} at step ${m.endAt}`}`)}</title></line>`);
    if (m.end === 'dropped' || m.end === 'lost') out.push(`<text class="cross" x="${x2}" y="${y2 + 5}" text-anchor="middle">✗</text>`);
    // A message still in flight is labelled near its start, where it was sent.
    const f = m.end === 'in-flight' ? 0.2 : 0.5;
    const lx = x1 + (x2 - x1) * f;
    const ly = y1 + (y2 - y1) * f - 4;
    // Delivered and dropped messages are labelled; lost and pending ones have only their tooltip.
    if (m.end === 'delivered' || m.end === 'dropped') {
      out.push(`<text class="msg-label${m.end === 'dropped' ? ' k-fault' : ''}" x="${lx}" y="${ly}" text-anchor="middle">${escapeHtml(m.msg.text.length > 28 ? m.msg.text.slice(0, 27) + '…' : m.msg.text)}</text>`);
    }
  }
  // Node events and whole-row events.
  const glyph: Record<string, string> = { step: '●', fire: '◷', crash: '✗', pause: '‖', resume: '▷', restart: '↻', clockJump: '±' };
  model.steps.forEach((s: StepInfo, i) => {
    if (i === 0) return;
    if (s.actor !== undefined && glyph[s.verb] !== undefined) {
      out.push(`<text class="ev k-${s.kind}" x="${x(s.actor) + 6}" y="${y(i) + 4}">${glyph[s.verb]} ${escapeHtml(s.verb === 'step' || s.verb === 'fire' ? s.detail : s.verb === 'clockJump' ? s.detail : s.verb)}</text>`);
    } else if (s.kind === 'tick') {
      out.push(`<line class="tick" x1="${LEFT}" y1="${y(i)}" x2="${lanesEnd}" y2="${y(i)}"/>`);
      out.push(`<text class="band k-tick" x="${lanesEnd + 10}" y="${y(i) + 4}">tick → t=${s.time ?? ''}</text>`);
    } else if (s.verb === 'partition' || s.verb === 'heal') {
      out.push(`<line class="band-line k-${s.kind}" x1="${LEFT}" y1="${y(i)}" x2="${lanesEnd}" y2="${y(i)}"/>`);
      out.push(`<text class="band k-${s.kind}" x="${lanesEnd + 10}" y="${y(i) + 4}">${escapeHtml(s.label ?? s.verb)}${s.lost.length ? ` (${s.lost.length} lost in flight)` : ''}</text>`);
    } else if (s.verb === 'duplicate' || s.verb === 'delay' || s.verb === 'drop') {
      const m = s.msg;
      if (m) out.push(`<text class="band k-fault" x="${lanesEnd + 10}" y="${y(i) + 4}">${escapeHtml(`${s.verb} ${m.key}`)}</text>`);
    }
  });
  out.push('</svg>');
  return out.join('\n');
}

// ------------------------------------------------------------------ page

/** The SVG chart's styles (shared with the explorer's page). */
export const CHART_CSS = `#chart .row rect{fill:transparent;cursor:pointer}#chart .row:hover rect{fill:#eef3fb}#chart .row.selected rect{fill:#dbe8fb}
#chart .num{font:11px ui-monospace,monospace;fill:#7a8294}#chart .lane-name{font:600 12px ui-monospace,monospace}
#chart .lane{stroke:#9aa3b2;stroke-width:2}#chart .lane.paused{stroke:#d08a00;stroke-dasharray:3 3}#chart .lane.crashed{stroke:#c9ced6;stroke-dasharray:1 5}
#chart .msg{stroke:#0b6e99;stroke-width:1.5}#chart .msg.lost{stroke:#b3261e;stroke-dasharray:5 3}#chart .msg.pending{stroke:#7a8294;stroke-dasharray:2 4}
#chart .msg-label{font:11px ui-monospace,monospace;fill:#0b4f6e;pointer-events:none}#chart .cross{fill:#b3261e;font-weight:700}
#chart .ev{font:11px ui-monospace,monospace;pointer-events:none}#chart .tick{stroke:#c9ced6;stroke-dasharray:2 4}
#chart .band{font:600 11px ui-monospace,monospace;pointer-events:none}#chart .band.k-tick{font-weight:400;fill:#7a8294}
#chart .band-line{stroke-width:3;opacity:.35}#chart .band-line.k-fault{stroke:#b3261e}#chart .band-line.k-recover{stroke:#1b7f3b}`;

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2330;background:#f6f7f9}
header{padding:14px 20px;background:#fff;border-bottom:1px solid #dde1e7}h1{font-size:18px;margin:0 0 4px}
header p{margin:2px 0;color:#4a5263}.bad{color:#b3261e;font-weight:600}
main{display:grid;grid-template-columns:minmax(0,1fr) minmax(320px,38%);gap:16px;padding:16px 20px}
section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:10px 12px;min-width:0}
h2{font-size:14px;margin:0 0 8px;color:#4a5263;text-transform:uppercase;letter-spacing:.04em}
#chart-box{overflow:auto;margin-bottom:16px}
${CHART_CSS}
.k-fault{fill:#b3261e;color:#b3261e}.k-step{fill:#1a56c4;color:#1a56c4}.k-timer{fill:#8a2be2;color:#8a2be2}.k-recover{fill:#1b7f3b;color:#1b7f3b}.k-deliver{color:#0b6e99}.k-tick{color:#7a8294}
ol#steps{list-style:none;margin:0;padding:0}
#steps li{padding:6px 8px;border-radius:4px;cursor:pointer;border-left:3px solid transparent}
#steps li:hover{background:#eef3fb}#steps li.selected{background:#dbe8fb;border-left-color:#1a56c4}
#steps .head{font:13px ui-monospace,monospace;white-space:pre-wrap}
#steps .tag{display:inline-block;min-width:5.5em;font-weight:600}
#steps .changes{font:12px ui-monospace,monospace;color:#4a5263;white-space:pre-wrap;margin:2px 0 0 2em}
#steps .note{color:#8a5a00;font-style:italic}
#state-box{position:sticky;top:12px;align-self:start;max-height:calc(100vh - 24px);overflow:auto}
#state-title{font:600 13px ui-monospace,monospace;margin-bottom:6px}
.tree,.tree ul{list-style:none;margin:0;padding-left:14px;font:12.5px ui-monospace,monospace}.tree{padding-left:0}
.tree .k{color:#6b3fa0}.tree .changed>span.line{background:#ffe8a3;border-radius:3px}.tree .holds>span.line>.k{font-weight:700}
.verdict{margin-top:10px;color:#b3261e;font:600 13px ui-monospace,monospace}
.loop{margin-top:10px;color:#6a1b9a;font:600 13px ui-monospace,monospace}
`;

const SCRIPT = `
(function(){
var data=JSON.parse(document.getElementById('trace-data').textContent);
var steps=document.querySelectorAll('#steps li');var rows=document.querySelectorAll('#chart .row');
function el(t,c,x){var e=document.createElement(t);if(c)e.className=c;if(x!=null)e.textContent=x;return e}
function render(n){var li=el('li',n.h===1?'changed':n.h===2?'holds':'');var line=el('span','line');
line.appendChild(el('span','k',n.l));if(n.v!=null){line.appendChild(document.createTextNode(' = '));line.appendChild(el('span','v',n.v))}
li.appendChild(line);if(n.c){var ul=el('ul');for(var i=0;i<n.c.length;i++)ul.appendChild(render(n.c[i]));li.appendChild(ul)}return li}
var current=-1;
function select(i){if(i<0||i>=data.states.length)return;current=i;
for(var j=0;j<steps.length;j++)steps[j].classList.toggle('selected',j===i);
for(var j=0;j<rows.length;j++)rows[j].classList.toggle('selected',+rows[j].getAttribute('data-step')===i);
document.getElementById('state-title').textContent='after step '+i+': '+data.labels[i];
var box=document.getElementById('state');box.textContent='';var root=data.states[i];var ul=el('ul','tree');
for(var k=0;k<(root.c||[]).length;k++)ul.appendChild(render(root.c[k]));if(!root.c)ul.appendChild(render(root));box.appendChild(ul);
document.body.setAttribute('data-selected',String(i))}
for(var j=0;j<steps.length;j++)steps[j].addEventListener('click',function(){select(+this.getAttribute('data-step'))});
for(var j=0;j<rows.length;j++)rows[j].addEventListener('click',function(){select(+this.getAttribute('data-step'));var s=document.querySelector('#steps li[data-step="'+current+'"]');if(s&&s.scrollIntoView)s.scrollIntoView({block:'nearest'})});
document.addEventListener('keydown',function(e){if(e.key==='ArrowDown'||e.key==='j'){select(current+1);e.preventDefault()}else if(e.key==='ArrowUp'||e.key==='k'){select(current-1);e.preventDefault()}});
select(data.states.length-1);
})();
`;

/** JSON that is safe inside a <script> element. */
function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderHtml(trace: readonly TraceStep[], model: TraceModel, o: HtmlOptions): string {
  const plain = new Chalk({ level: 0 });
  // The step list: each step's terminal rendering in full detail.
  const blocks = model.protocol ? worldStepBlocks(trace, model, { color: plain, detail: 'full', width: 10_000 }).blocks : undefined;
  const items = model.steps.map((s, i) => {
    let changes: string[];
    if (blocks) changes = [...blocks[i]!.body];
    else if (i === 0) changes = [];
    else {
      changes = diffValues(trace[i - 1]!.state, trace[i]!.state).map((ch) => {
        const field = ch.path.replace(/^\./, '');
        if (ch.kind === 'added') return `${field} + ${formatValue(ch.after, { maxLength: 400 })}`;
        if (ch.kind === 'removed') return `${field} - ${formatValue(ch.before, { maxLength: 400 })}`;
        return `${field}: ${formatValue(ch.before, { maxLength: 400 })} → ${formatValue(ch.after, { maxLength: 400 })}`;
      });
      changes.push(...s.notes.map((n) => `note: ${n}`));
    }
    const head = model.protocol
      ? `${String(i).padStart(String(trace.length - 1).length)}  ${model.timed ? `t=${s.time ?? 0}  ` : ''}<span class="tag k-${s.kind}">${escapeHtml(kindTag(s.kind))}</span>${s.actor ? `<b>${escapeHtml(s.actor)}</b>  ` : ''}${escapeHtml(stepText(s))}`
      : `${i}  <span class="tag k-${s.kind}">${i === 0 ? 'init' : 'action'}</span>${escapeHtml(i === 0 ? 'initial state' : (s.label ?? '?'))}`;
    const body = changes
      .map((l) => (l.startsWith('note: ') ? `<span class="note">${escapeHtml(l)}</span>` : escapeHtml(l)))
      .join('\n');
    return `<li data-step="${i}" class="k-${s.kind}"><div class="head">${head}</div>${body ? `<div class="changes">${body}</div>` : ''}</li>`;
  });
  const data = {
    labels: trace.map((s, i) => (i === 0 ? 'initial state' : (s.action ?? '?'))),
    states: stateTrees(trace, model.protocol),
  };
  const chart = model.protocol ? `<section id="chart-box"><h2>Sequence chart</h2>${svgChart(model, trace)}</section>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(o.title)}</h1>
${(o.subtitle ?? []).map((l, i) => `<p${i === 0 && o.violation ? ' class="bad"' : ''}>${escapeHtml(l)}</p>`).join('\n')}
</header>
<main>
<div>
${chart}
<section id="steps-box"><h2>Steps</h2><ol id="steps">
${items.join('\n')}
</ol>${o.loop !== undefined ? `<div class="loop">${escapeHtml(loopNote(o.loop, trace.length - 1))}</div>` : ''}${o.violation ? `<div class="verdict">✗ ${escapeHtml(o.violation.property)}: ${escapeHtml(o.violation.message)}</div>` : ''}</section>
</div>
<section id="state-box"><h2>State</h2><div id="state-title"></div><div id="state"></div></section>
</main>
<script type="application/json" id="trace-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
