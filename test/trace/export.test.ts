// Mermaid and HTML exports (the HTML page is also tested in a real browser: html-browser.test.ts).
import { describe, expect, it } from 'vitest';
import type { Spec } from '../../src/core/types.js';
import { check } from '../../src/check/check.js';
import { traceModel } from '../../src/trace/model.js';
import { renderHtml } from '../../src/trace/render/html.js';
import { mermaidText, renderMermaid } from '../../src/trace/render/mermaid.js';
import { expectGolden } from './golden.js';
import diehard from '../../specs/diehard.js';
import lease from '../../specs/protocol-examples/lease.js';

const faults = { pause: 1 };

function leaseTrace() {
  const spec = lease as unknown as Spec;
  const r = check(spec, { faults });
  const system = spec.compile(r.params, { faults });
  const trace = r.violation!.trace;
  return { r, trace, model: traceModel(trace, { system }) };
}

describe('Mermaid', () => {
  it('is a sequenceDiagram with one participant per node and an arrow per delivery', () => {
    const { r, trace, model } = leaseTrace();
    const text = renderMermaid(trace, model, { title: 'lease', violation: { property: r.violation!.property, message: r.violation!.message } });
    expectGolden('mermaid/lease.pause1.mmd', text);
    const lines = text.split('\n');
    expect(lines).toContain('sequenceDiagram');
    expect(lines.filter((l) => l.startsWith('  participant '))).toHaveLength(4);
    expect(text).toContain('client1->>lock: 1 Acquire (sent at 0) (t=0)');
    expect(text).toContain('Note over client1: 4 FAULT pause (t=0)');
    // Every line is a directive Mermaid knows.
    for (const l of lines.slice(lines.indexOf('sequenceDiagram') + 1)) {
      if (l === '') continue;
      expect(l).toMatch(/^  (participant \w+( as .+)?|Note (over|right of) [\w,]+: .+|\w+(->>|-x|--\)|-\)\))\w+: .+)$/);
    }
  });

  it('escapes what Mermaid would read as syntax', () => {
    expect(mermaidText('a;b #c\nd')).toBe('a#59;b #35;c d');
  });

  it('writes a core spec trace as notes', () => {
    const r = check(diehard as unknown as Spec);
    const text = renderMermaid(r.violation!.trace, traceModel(r.violation!.trace));
    expect(text).toContain('participant spec');
    expect(text).toContain('Note over spec: 1 FillBig big=5');
  });
});

describe('HTML', () => {
  it('is one self-contained page: no external resource, the data inline', () => {
    const { r, trace, model } = leaseTrace();
    const html = renderHtml(trace, model, { title: 'lease <pause>', violation: { property: r.violation!.property, message: r.violation!.message } });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/<link\b|@import|url\((?!#)/);
    expect(html).toContain('lease &lt;pause&gt;');
    expect(html).toContain('<svg');
    expect(html.match(/<li data-step=/g)).toHaveLength(trace.length);
    const data = JSON.parse(html.match(/<script type="application\/json" id="trace-data">(.*?)<\/script>/s)![1]!);
    expect(data.states).toHaveLength(trace.length);
    expect(data.labels[4]).toBe('pause client1');
  });

  it('cannot be broken out of by state text', () => {
    const { trace, model } = leaseTrace();
    const html = renderHtml(trace, model, { title: '</script><script>alert(1)</script>' });
    expect(html).not.toContain('<script>alert(1)');
  });
});
