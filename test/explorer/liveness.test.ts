// Liveness counterexamples (lassos) in the explorer, through its JSON API on the built
// CLI's server: "find the shortest violation from here" answers with the lasso's loop
// (a step of the whole path), a state request that carries the loop gets it back with
// its "↻ back to step k" line when the path closes it, and a saved lasso loads with it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { faultline, root } from '../cli/run.js';
import { call, startExplore, type ExploreServer } from './server.js';

async function search(base: string, body: unknown): Promise<any> {
  const started = await call(base, 'POST', '/api/check', body);
  expect(started.status).toBe(202);
  for (;;) {
    const r = await call(base, 'GET', `/api/check/${started.json.id}`);
    expect(r.status).toBe(200);
    if (r.json.status === 'done') return r.json.result;
    await new Promise((res) => setTimeout(res, 100));
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-explore-liveness-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('explore a core spec whose liveness counterexample loops (test/fixtures/liveness/toggle.ts)', () => {
  let s: ExploreServer;
  beforeAll(async () => {
    s = await startExplore(['test/fixtures/liveness/toggle.ts']);
  });
  afterAll(async () => {
    expect(await s?.stop()).toBe(130);
  });

  it('the search from the initial state finds the lasso of check: Flip, Flip, back to step 0', async () => {
    const r = await search(s.base, { path: [] });
    expect(r).toMatchObject({ verdict: 'violation', kind: 'liveness', property: 'finished', init: 0, keys: ['Flip', 'Flip'], loop: 0 });
    expect(r.message).toBe('finished never holds: a fair behaviour loops forever over steps 0–2 (step 2 is step 0 again)');
  });

  it('the state of that path with its loop: the loop and its ↻ line come back', async () => {
    const r = await call(s.base, 'POST', '/api/state', { path: ['Flip', 'Flip'], loop: 0 });
    expect(r.status).toBe(200);
    expect(r.json.loop).toBe(0);
    expect(r.json.loopNote).toBe('↻ back to step 0: steps 1–2 repeat forever');
    expect(r.json.steps).toHaveLength(3);
    // Shown at an earlier step, the lasso is still the path's.
    const earlier = await call(s.base, 'POST', '/api/state', { path: ['Flip', 'Flip'], loop: 0, at: 1 });
    expect(earlier.json).toMatchObject({ at: 1, loop: 0, loopNote: '↻ back to step 0: steps 1–2 repeat forever' });
  });

  it('from a later step, the loop is a step of the whole path', async () => {
    const r = await search(s.base, { path: ['Flip'] });
    expect(r).toMatchObject({ verdict: 'violation', kind: 'liveness', keys: ['Flip', 'Flip'], loop: 1 });
    const st = await call(s.base, 'POST', '/api/state', { path: ['Flip', ...r.keys], loop: r.loop });
    expect(st.json.loopNote).toBe('↻ back to step 1: steps 2–3 repeat forever');
  });

  it('a loop the path does not close is not shown; a path without a loop has none', async () => {
    for (const body of [{ path: ['Flip'], loop: 0 }, { path: ['Flip', 'Flip', 'Flip'], loop: 0 }, { path: ['Flip', 'Flip'] }]) {
      const r = await call(s.base, 'POST', '/api/state', body);
      expect(r.status).toBe(200);
      expect(r.json.loop).toBeUndefined();
      expect(r.json.loopNote).toBeUndefined();
    }
    // A path that stops fitting (an action not enabled) loses its loop too.
    const cut = await call(s.base, 'POST', '/api/state', { path: ['Finish', 'Flip'], loop: 1 });
    expect(cut.json.stopped).toBeDefined();
    expect(cut.json.loop).toBeUndefined();
  });

  it('a loop that is no step of the path, or no integer: 400 naming the field', async () => {
    for (const loop of [3, -1, 0.5, '0']) {
      const r = await call(s.base, 'POST', '/api/state', { path: ['Flip', 'Flip'], loop });
      expect(r.status).toBe(400);
      expect(r.json.error.message).toBe('"loop" must be a step of the path, 0…2 (the step a lasso\'s last state returns to)');
    }
  });

  it('a saved lasso loads with its loop (POST /api/trace)', async () => {
    const file = path.join(tmp, 'toggle.itf.json');
    expect(faultline(['check', 'test/fixtures/liveness/toggle.ts', '--no-typecheck', '--trace-out', file]).code).toBe(0);
    const r = await call(s.base, 'POST', '/api/trace', fs.readFileSync(file, 'utf8'), true);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ path: ['Flip', 'Flip'], loop: 0, outcome: 'reproduced' });
  });

  it('the page marks the loop and draws its line (the script reads loop and loopNote)', async () => {
    const page = await call(s.base, 'GET', '/');
    const html: string = page.json.text;
    expect(html).toContain("d.loop!==undefined&&s.index>=d.loop?' loop':''");
    expect(html).toContain("el('li','loopnote',d.loopNote)");
    expect(html).toContain("req.loop=S.loop");
  });

  // The page itself, in Chromium where it is installed (test/explorer/browser.test.ts requires it in CI).
  const CHROMIUM = '/usr/bin/chromium';
  it.skipIf(!fs.existsSync(CHROMIUM))('in the browser: f finds the lasso, its steps are marked, the ↻ line shown; branching drops it', async () => {
    const { chromium } = await import('playwright-core');
    const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    try {
      const errors: string[] = [];
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(s.base + '/');
      await page.waitForSelector('#steps li');
      await page.keyboard.press('f');
      await page.waitForSelector('#steps li.loopnote');
      expect(await page.locator('#status').textContent()).toMatch(/^found: finished is violated 2 steps after step 0, then ↻ back to step 0 forever/);
      expect(await page.locator('#steps li.loopnote').textContent()).toBe('↻ back to step 0: steps 1–2 repeat forever');
      expect(await page.locator('#steps li.loop').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-step')))).toEqual(['0', '1', '2']);
      expect(page.url()).toMatch(/&s=Flip&s=Flip&loop=0$/);
      fs.mkdirSync(path.join(root, 'test-output', 'explorer'), { recursive: true });
      await page.screenshot({ path: path.join(root, 'test-output', 'explorer', 'liveness-toggle.png') });
      // The link opens the same lasso.
      const again = await (await browser.newContext()).newPage();
      await again.goto(page.url());
      await again.waitForSelector('#steps li.loopnote');
      // Branch at step 1 (take Finish there): the path is no lasso any more.
      await page.locator('#steps li[data-step="1"]').click();
      await page.waitForFunction(() => document.body.getAttribute('data-at') === '1');
      await page.locator('#actions .act[data-key="Finish"]').click();
      await page.waitForFunction(() => document.body.getAttribute('data-length') === '2' && document.body.getAttribute('data-at') === '2');
      expect(await page.locator('#steps li.loopnote').count()).toBe(0);
      expect(await page.locator('#steps li.loop').count()).toBe(0);
      expect(page.url()).not.toContain('loop=');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('explore a protocol whose liveness counterexample halts (specs/lossy-request.buggy.ts)', () => {
  let s: ExploreServer;
  beforeAll(async () => {
    s = await startExplore(['specs/lossy-request.buggy.ts']);
  });
  afterAll(async () => {
    expect(await s?.stop()).toBe(130);
  });

  it('the lasso is the drop, then it stays at step 1: "↻ stays at step 1 forever"', async () => {
    const r = await search(s.base, { path: [] });
    expect(r).toMatchObject({ verdict: 'violation', kind: 'liveness', property: 'answered', keys: ['drop Request{id:1} client→server'], loop: 1 });
    const st = await call(s.base, 'POST', '/api/state', { path: r.keys, loop: r.loop });
    expect(st.json.loop).toBe(1);
    expect(st.json.loopNote).toBe('↻ stays at step 1 forever');
  });

  it('--trace starts on a saved lasso: the printed link carries its loop', async () => {
    const file = path.join(tmp, 'lossy.itf.json');
    faultline(['check', 'specs/lossy-request.buggy.ts', '--no-typecheck', '--trace-out', file]);
    const t = await startExplore(['specs/lossy-request.buggy.ts', '--trace', file]);
    try {
      expect(t.printed).toMatch(/&s=drop%20Request%7Bid%3A1%7D%20client%E2%86%92server&at=0&loop=1$/);
    } finally {
      expect(await t.stop()).toBe(130);
    }
  });
});
