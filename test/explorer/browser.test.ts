// The explorer in a real browser, as a student uses it: headless Chromium (Debian's
// package, at /usr/bin/chromium) driven by playwright-core, against the built CLI's
// server. Each walkthrough saves a screenshot under test-output/explorer/ (ignored
// by git; CI keeps it as an artifact). Skipped, with the reason printed, where
// Chromium is absent — but never in CI (CI=true): there it fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { faultline, root } from '../cli/run.js';
import { LEASE_PAUSE_COUNTEREXAMPLE as CE, startExplore, type ExploreServer } from './server.js';

const CHROMIUM = '/usr/bin/chromium';
const present = fs.existsSync(CHROMIUM);
if (!present) {
  const why = `${CHROMIUM} not found (install Debian's chromium package: apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(`the explorer's browser test needs Chromium in CI: ${why}`);
  console.log(`skipping the explorer browser test: ${why}`);
}

const SHOTS = path.join(root, 'test-output', 'explorer');

describe.skipIf(!present)('faultline explore in Chromium', () => {
  let browser: Browser;
  let lease: ExploreServer;
  const errors: string[] = [];
  const requests: string[] = [];

  async function open(url: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('request', (r) => {
      if (!r.url().startsWith('http://127.0.0.1:')) requests.push(r.url());
    });
    await page.goto(url);
    await page.waitForSelector('#steps li');
    return page;
  }

  const at = (page: Page, n: number) => page.waitForFunction((k) => document.body.getAttribute('data-at') === String(k), n);
  const action = (page: Page, key: string) => page.locator(`#actions .act[data-key=${JSON.stringify(key)}]`);
  const failing = (page: Page) => page.locator('#props li.bad').allTextContents();
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: false });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    lease = await startExplore(['specs/lease-pause.buggy.ts']);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await lease?.stop();
  });

  let violationUrl = '';

  it('lease-pause.buggy by hand: the invariant holds for 14 steps, the 15th is flagged, then it turns red', async () => {
    const page = await open(lease.base + '/');
    expect(await page.locator('#spec-name').textContent()).toBe('lease-pause.buggy');
    for (let i = 0; i < 14; i++) {
      await action(page, CE[i]!).click();
      await at(page, i + 1);
      expect(await failing(page)).toEqual([]);
    }
    // Before it is taken, the last step says what it will break.
    const last = action(page, CE[14]!);
    expect(await last.locator('.warn').textContent()).toBe('⚠ violates writesInLeaseOrder');
    // The fault was visibly a fault, and client1 is shown paused at step 5.
    await last.click();
    await at(page, 15);
    const red = await failing(page);
    expect(red).toHaveLength(1);
    expect(red[0]).toContain('✗ FAILS  writesInLeaseOrder');
    expect(red[0]).toContain("storage accepted client1's write (lease #1, expired) after client2's write under lease #2");
    expect(red[0]).toContain('it read observed("accepted") = ["client2", "client1"]');
    expect(await page.locator('#steps li[data-step="15"] .fails').textContent()).toBe('✗ writesInLeaseOrder fails here');
    expect(await page.locator('#steps li[data-step="5"] .head').textContent()).toContain('client1  FAULT    pause');
    expect(await page.locator('#chart .row').count()).toBe(16);
    await shot(page, 'lease-pause-violation.png');
    violationUrl = page.url();
    expect(decodeURIComponent(violationUrl)).toContain('s=pause client1');

    // Keyboard: back two steps; the invariant holds there, and the path's future is kept.
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('ArrowLeft');
    await at(page, 14);
    await page.keyboard.press('ArrowLeft');
    await at(page, 13);
    expect(await failing(page)).toEqual([]);
    expect(await page.locator('body').getAttribute('data-length')).toBe('15');
    expect(await page.locator('#steps li.future').count()).toBe(2);
    // At step 13 only client1's write is possible: branch earlier, at step 11 (a click
    // on the path), where client1 resumes before client2's write arrives.
    await page.click('#steps li[data-step="11"]');
    await at(page, 11);
    await action(page, 'resume client1').click();
    await at(page, 12);
    expect(await page.locator('#status').textContent()).toBe('branched at step 11: the steps after it were replaced');
    expect(await page.locator('body').getAttribute('data-length')).toBe('12');
    // client1 paused → up on its card.
    expect(await page.locator('.card[data-node="client1"] .status').textContent()).toBe('up');
    for (const [i, key] of ['step client1.write', 'deliver Write{data:"client1"} client1→storage (by t=2)', 'deliver Write{data:"client2"} client2→storage (by t=2)'].entries()) {
      // Take each with the keyboard: its number.
      const n = await action(page, key).getAttribute('data-n');
      await page.keyboard.press(n!);
      await at(page, 13 + i);
      expect(await failing(page)).toEqual([]);
    }
    // And nothing can go wrong from here any more: the search says so.
    await page.keyboard.press('f');
    await page.waitForFunction(() => /no violation is reachable/.test(document.getElementById('status')!.textContent ?? ''));
    expect(await page.locator('#status').textContent()).toMatch(/^no violation is reachable from step 15 \(\d+ states, [\d.]+ s: every state reachable from here was checked\)$/);
    expect(await page.locator('body').getAttribute('data-violated')).toBe('false');
    await shot(page, 'lease-pause-branch-holds.png');
    await page.context().close();
  });

  it('the shared URL opens the same state in a fresh page', async () => {
    expect(violationUrl).not.toBe('');
    const page = await open(violationUrl);
    await at(page, 15);
    expect(await page.locator('body').getAttribute('data-length')).toBe('15');
    expect((await failing(page))[0]).toContain('writesInLeaseOrder');
    const heads = await page.locator('#steps .head').allTextContents();
    expect(heads[14]).toContain('client1  step     write');
    expect(await page.locator('.card[data-node="storage"]').textContent()).toContain('data = "client1"');
    await shot(page, 'shared-link.png');
    await page.context().close();
  });

  it('a link whose path no longer fits says which step, and shows the part before it', async () => {
    const url = violationUrl.replace(encodeURIComponent('step client1.check'), encodeURIComponent('step client1.dance'));
    expect(url).not.toBe(violationUrl);
    const page = await open(url);
    await page.waitForFunction(() => (document.getElementById('banner')!.textContent ?? '') !== '');
    expect(await page.locator('#banner').textContent()).toBe('Step 4 of the path (step client1.dance) no longer fits the spec: it is not enabled there. The path is kept up to step 3.');
    expect(await page.locator('body').getAttribute('data-at')).toBe('3');
    await page.context().close();
  });

  it('"find the shortest violation from here" from the initial state loads the counterexample of check', async () => {
    const page = await open(lease.base + '/');
    await page.click('#find');
    await at(page, 15);
    expect(await page.locator('#status').textContent()).toMatch(/^found: writesInLeaseOrder is violated 15 steps after step 0 \(the shortest from there; \d+ states, [\d.]+ s\)$/);
    expect(decodeURIComponent(page.url())).toContain(CE.map((k) => 's=' + k).join('&'));
    await page.context().close();
  });

  it('usable on a 1024×768 projector: nothing wider than the screen, faults and verdicts readable without colour', async () => {
    const page = await open(violationUrl, { width: 1024, height: 768 });
    await at(page, 15);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.keyboard.press('Home');
    await at(page, 0);
    // ↓ moves into the actions, Enter takes the one with the focus (here the first).
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-n'))).toBe('1');
    await page.keyboard.press('Enter');
    await at(page, 1);
    expect(await page.locator('body').getAttribute('data-length')).toBe('15'); // it was the path's next step: the future is kept
    await page.keyboard.press('Home');
    await at(page, 0);
    // Without colour: the tag says FAULT, the verdict says holds / FAILS.
    const faults = await page.locator('#actions .act.fault .tag').allTextContents();
    expect(faults.length).toBeGreaterThan(0);
    expect(new Set(faults)).toEqual(new Set(['FAULT']));
    expect(await page.locator('#props li').first().textContent()).toMatch(/^✓ holds {2}writesInLeaseOrder/);
    await page.keyboard.press('End');
    await at(page, 15);
    await shot(page, 'projector-1024x768.png');
    await page.context().close();
  });

  it('load the saved trace of split-brain.buggy, step through it to its end', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-explore-'));
    const r = faultline(['check', 'specs/split-brain.buggy.ts', '--no-typecheck', '--save-trace', dir]);
    expect(r.code).toBe(0);
    const saved = path.join(dir, fs.readdirSync(dir)[0]!);
    const split = await startExplore(['specs/split-brain.buggy.ts']);
    try {
      const page = await open(split.base + '/');
      await page.setInputFiles('#load', saved);
      await page.waitForFunction(() => document.body.getAttribute('data-length') === '8');
      await at(page, 0);
      expect(await page.locator('#status').textContent()).toContain('(a counterexample to oneLeaderPerTerm): 8 steps');
      for (let i = 1; i <= 8; i++) {
        expect(await failing(page)).toEqual([]);
        await page.keyboard.press('ArrowRight');
        await at(page, i);
      }
      expect((await failing(page))[0]).toContain('oneLeaderPerTerm');
      expect(await page.locator('#world .facts').textContent()).toContain('PARTITION {node1} | {node2,node3}');
      // Branch off it: back one step, and the last step is flagged.
      await page.keyboard.press('ArrowLeft');
      await at(page, 7);
      expect(await page.locator('#actions .act .warn').count()).toBeGreaterThan(0);
      await shot(page, 'split-brain-trace.png');
      await page.keyboard.press('End');
      await at(page, 8);
      await page.context().close();
    } finally {
      await split.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a spec that throws shows the error with the step that caused it', async () => {
    const thrower = await startExplore(['test/explorer/fixtures/throws.ts']);
    try {
      const page = await open(thrower.base + '/#spec=throws&s=Step&s=Step');
      await page.waitForFunction(() => (document.getElementById('banner')!.textContent ?? '') !== '');
      expect(await page.locator('#banner').textContent()).toMatch(/^The spec threw while computing the actions enabled after step 2 \(taking Step\): action Step threw: counter overflow at 2/);
      expect(await page.locator('#actions').textContent()).toContain('the spec threw');
      // Back one step: it works again.
      await page.keyboard.press('ArrowLeft');
      await at(page, 1);
      expect(await page.locator('#actions .act').count()).toBe(1);
      await page.context().close();
    } finally {
      await thrower.stop();
    }
  });

  it('no page error, and no request anywhere but the server', () => {
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
