// The explorer's JSON API, called as the page calls it, on the built CLI's server:
// every endpoint, and every kind of bad request (a 4xx with a clear message, and the
// server still answering afterwards).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultline, root } from '../cli/run.js';
import { LEASE_PAUSE_COUNTEREXAMPLE as CE, call, startExplore, type ExploreServer } from './server.js';

async function waitForSearch(base: string, id: number): Promise<any> {
  for (;;) {
    const r = await call(base, 'GET', `/api/check/${id}`);
    expect(r.status).toBe(200);
    if (r.json.status === 'done') return r.json;
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe('explore API on specs/lease-pause.buggy.ts', () => {
  let s: ExploreServer;
  beforeAll(async () => {
    s = await startExplore(['specs/lease-pause.buggy.ts']);
  });
  afterAll(async () => {
    // Ctrl-C stops the server cleanly, with the exit code of SIGINT (README: exit codes).
    expect(await s?.stop()).toBe(130);
  });

  it('prints the address, loopback only, with the initial path in the fragment', () => {
    expect(s.output()).toMatch(/^faultline explore: lease-pause\.buggy \(specs\/lease-pause\.buggy\.ts\) at http:\/\/127\.0\.0\.1:\d+\/$/m);
    expect(s.printed).toContain('#spec=lease-pause.buggy&p.clients=2&p.lease=2&p.maxTime=3&');
    expect(s.printed).toContain('f.pause=1');
  });

  it('GET / serves the self-contained page', async () => {
    const r = await fetch(s.base + '/');
    const html = await r.text();
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('What can happen next');
    // Nothing is fetched from elsewhere: no src= or href= to another host.
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
  });

  it('GET /api/spec: the spec, its params, budgets and properties', async () => {
    const r = await call(s.base, 'GET', '/api/spec');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      spec: 'lease-pause.buggy',
      kind: 'protocol',
      params: { clients: 2, lease: 2, maxTime: 3 },
      invariants: ['writesInLeaseOrder'],
      initialStates: 1,
    });
    expect(r.json.faults.pause).toBe(1);
  });

  it('POST /api/state with an empty path: the initial world, its actions, the invariant holding', async () => {
    const r = await call(s.base, 'POST', '/api/state', { path: [] });
    expect(r.status).toBe(200);
    const d = r.json;
    expect(d.at).toBe(0);
    expect(d.steps).toHaveLength(1);
    expect(d.steps[0].head).toContain('initial state');
    expect(d.state.nodes.map((n: any) => `${n.id}:${n.role}:${n.status}`)).toEqual(['lock:lock:up', 'client1:client:up', 'client2:client:up', 'storage:storage:up']);
    expect(d.state.time).toBe(0);
    expect(d.state.budgets).toEqual([{ fault: 'pause', budget: 1, used: 0, left: 1 }]);
    expect(d.state.inFlight.map((m: any) => m.key)).toEqual(['Acquire client1→lock (by t=0)', 'Acquire client2→lock (by t=0)']);
    expect(d.properties).toEqual([{ name: 'writesInLeaseOrder', kind: 'invariant', holds: true }]);
    const byKey = Object.fromEntries(d.actions.map((a: any) => [a.key, a]));
    expect(byKey['deliver Acquire client1→lock (by t=0)']).toMatchObject({ tag: 'deliver', node: 'lock', fault: false, text: 'Acquire from client1' });
    expect(byKey['pause client1']).toMatchObject({ tag: 'FAULT', node: 'client1', fault: true });
    expect(d.chart).toContain('<svg');
  });

  it('walks the shortest counterexample: the last step is flagged before it is taken, and fails after', async () => {
    const before = await call(s.base, 'POST', '/api/state', { path: CE.slice(0, 14) });
    expect(before.json.path).toHaveLength(14);
    expect(before.json.properties[0].holds).toBe(true);
    const last = before.json.actions.find((a: any) => a.key === CE[14]);
    expect(last.violates).toEqual([{ name: 'writesInLeaseOrder', message: "storage accepted client1's write (lease #1, expired) after client2's write under lease #2" }]);
    // Every other action there is safe.
    expect(before.json.actions.filter((a: any) => a.violates.length > 0)).toHaveLength(1);

    const after = await call(s.base, 'POST', '/api/state', { path: CE });
    const d = after.json;
    expect(d.at).toBe(15);
    expect(d.properties[0]).toMatchObject({ name: 'writesInLeaseOrder', holds: false });
    expect(d.properties[0].read).toEqual(['observed("grant") = ["client1", "client2"]', 'observed("accepted") = ["client2", "client1"]']);
    expect(d.steps.map((x: any) => x.failing.length > 0)).toEqual([...Array(15).fill(false), true]);
    // Step lines are the terminal trace's.
    expect(d.steps[5].head).toBe('5  t=0  client1  FAULT    pause');
    expect(d.steps[15].body).toContain('storage.data: "client2" → "client1"');
    // Once it fails, the actions are not flagged again: a warning means "this step breaks it".
    expect(d.actions.map((a: any) => [a.key, a.violates])).toEqual([['tick (t=3)', []]]);
  });

  it('"at" shows an earlier step of the path, its future kept', async () => {
    const r = await call(s.base, 'POST', '/api/state', { path: CE, at: 13 });
    expect(r.json.at).toBe(13);
    expect(r.json.path).toHaveLength(15);
    expect(r.json.properties[0].holds).toBe(true);
    expect(r.json.actions.map((a: any) => a.key)).toContain(CE[13]);
    expect(r.json.state.nodes.find((n: any) => n.id === 'client1').status).toBe('up');
    const paused = await call(s.base, 'POST', '/api/state', { path: CE, at: 6 });
    expect(paused.json.state.nodes.find((n: any) => n.id === 'client1')).toMatchObject({ status: 'paused' });
    expect(paused.json.state.budgets).toEqual([{ fault: 'pause', budget: 1, used: 1, left: 0 }]);
  });

  it('a path that no longer fits says which step stopped fitting, and keeps the part before it', async () => {
    const bad = [...CE.slice(0, 2), 'deliver Granted{ttl:9} lock→client1 (by t=0)', ...CE.slice(3)];
    const r = await call(s.base, 'POST', '/api/state', { path: bad });
    expect(r.status).toBe(200);
    expect(r.json.stopped).toMatchObject({ step: 3, key: 'deliver Granted{ttl:9} lock→client1 (by t=0)', reason: 'not-enabled' });
    expect(r.json.stopped.enabled).toContain(CE[2]);
    expect(r.json.path).toEqual(CE.slice(0, 2));
    expect(r.json.at).toBe(2);
  });

  it('POST /api/actions: the actions at the end of a path', async () => {
    const r = await call(s.base, 'POST', '/api/actions', { path: CE.slice(0, 4) });
    expect(r.status).toBe(200);
    expect(r.json.path).toEqual(CE.slice(0, 4));
    const keys = r.json.actions.map((a: any) => a.key);
    expect(keys).toContain('pause client1');
    expect(keys).toContain('step client1.write');
  });

  it('params and budgets in the request compile the spec with them', async () => {
    const r = await call(s.base, 'POST', '/api/state', { path: [], params: { clients: '3' }, faults: { pause: 0 } });
    expect(r.status).toBe(200);
    expect(r.json.params.clients).toBe(3);
    expect(r.json.state.nodes.map((n: any) => n.id)).toContain('client3');
    expect(r.json.actions.some((a: any) => a.fault)).toBe(false);
  });

  it('POST /api/check: the shortest violation from the initial state is the counterexample of check', async () => {
    const started = await call(s.base, 'POST', '/api/check', { path: [] });
    expect(started.status).toBe(202);
    const done = await waitForSearch(s.base, started.json.id);
    expect(done.result).toMatchObject({ verdict: 'violation', property: 'writesInLeaseOrder', keys: CE });
  });

  it('POST /api/check from a later state finds the rest of the way', async () => {
    const started = await call(s.base, 'POST', '/api/check', { path: CE.slice(0, 9) });
    const done = await waitForSearch(s.base, started.json.id);
    expect(done.from.path).toEqual(CE.slice(0, 9));
    expect(done.result.verdict).toBe('violation');
    expect(done.result.keys).toHaveLength(6);
    const walked = await call(s.base, 'POST', '/api/state', { path: [...CE.slice(0, 9), ...done.result.keys] });
    expect(walked.json.properties[0].holds).toBe(false);
  });

  it('POST /api/check from a state with no violation ahead: ok', async () => {
    // Without its pause the spec holds (its README says so): nothing is reachable.
    const r = await call(s.base, 'POST', '/api/check', { path: [], faults: { pause: 0 } });
    const done = await waitForSearch(s.base, r.json.id);
    expect(done.result.verdict).toBe('ok');
    expect(done.result.stats.distinctStates).toBeGreaterThan(1);
  });

  const bad: [string, string, string, unknown, number, RegExp][] = [
    ['not JSON', 'POST', '/api/state', '{"path": [', 400, /not JSON/],
    ['an empty body', 'POST', '/api/state', '', 400, /empty/],
    ['a list instead of an object', 'POST', '/api/state', '[]', 400, /JSON object/],
    ['a path of numbers', 'POST', '/api/state', '{"path": [1, 2]}', 400, /"path" must be a list of action keys/],
    ['an unknown field', 'POST', '/api/state', '{"pth": []}', 400, /unknown field "pth"/],
    ['a negative init', 'POST', '/api/state', '{"init": -1}', 400, /"init" must be a non-negative integer/],
    ['an init past the initial states', 'POST', '/api/state', '{"init": 3}', 400, /the spec has 1 initial state/],
    ['"at" past the path', 'POST', '/api/state', '{"path": [], "at": 2}', 400, /"at" must be a step of the path/],
    ['an unknown param', 'POST', '/api/state', '{"params": {"nodes": 3}}', 400, /unknown param "nodes" for spec "lease-pause.buggy"/],
    ['a param of the wrong type', 'POST', '/api/state', '{"params": {"clients": "many"}}', 400, /clients/],
    ['a negative budget', 'POST', '/api/state', '{"faults": {"pause": -1}}', 400, /fault budget "pause" must be a non-negative integer/],
    ['an unknown fault', 'POST', '/api/actions', '{"faults": {"meteor": 1}}', 400, /unknown fault "meteor"/],
    ['a trace that is not ITF', 'POST', '/api/trace', '{"hello": 1}', 400, /cannot load the trace/],
    ['a search from a path that does not fit', 'POST', '/api/check', '{"path": ["fly"]}', 409, /step 1 of the path \(fly\) is not enabled/],
    ['GET on a POST endpoint', 'GET', '/api/state', undefined, 405, /GET is not allowed on \/api\/state; use POST/],
    ['an unknown endpoint', 'GET', '/api/nothing', undefined, 404, /no such page or endpoint: \/api\/nothing/],
    ['an unknown search', 'GET', '/api/check/999', undefined, 404, /no search 999/],
    ['PUT on a search', 'PUT', '/api/check/1', undefined, 405, /PUT is not allowed/],
  ];
  for (const [what, method, url, body, status, message] of bad) {
    it(`${what} → ${status} with a clear message`, async () => {
      const r = await call(s.base, method, url, body, true);
      expect(r.status).toBe(status);
      expect(r.json.error.status).toBe(status);
      expect(r.json.error.message).toMatch(message);
    });
  }

  it('an oversized request → 413, and the server goes on', async () => {
    const huge = JSON.stringify({ path: Array(200_000).fill('tick (t=1)') });
    const r = await call(s.base, 'POST', '/api/state', huge, true).catch((e: Error) => ({ status: -1, json: { error: { message: e.message } } }));
    expect(r.status).toBe(413);
    expect(r.json.error.message).toMatch(/at most 1048576 are accepted/);
    expect((await call(s.base, 'GET', '/api/spec')).status).toBe(200);
  });

  it('a request for another host name → 403 (no DNS rebinding)', async () => {
    const r = spawnSync('curl', ['-s', '-H', 'Host: evil.example:80', s.base + '/api/spec'], { encoding: 'utf8' });
    if (r.error) return; // no curl here: fetch cannot set Host
    expect(JSON.parse(r.stdout).error).toMatchObject({ status: 403, message: expect.stringMatching(/only requests for localhost/) });
  });

  it('malformed HTTP → 400, and the server goes on', async () => {
    const net = await import('node:net');
    const port = Number(new URL(s.base).port);
    const reply = await new Promise<string>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => sock.write('THIS IS NOT HTTP\r\n\r\n'));
      let got = '';
      sock.on('data', (c) => (got += c.toString()));
      sock.on('close', () => resolve(got));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await call(s.base, 'GET', '/api/spec')).status).toBe(200);
  });
});

describe('explore API: a search can be stopped', () => {
  let s: ExploreServer;
  beforeAll(async () => {
    s = await startExplore(['specs/paxos.fixed.ts']);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('DELETE /api/check/<id> stops it; the result is incomplete (interrupted); a second search meanwhile is refused', async () => {
    const started = await call(s.base, 'POST', '/api/check', { path: [] });
    expect(started.status).toBe(202);
    const second = await call(s.base, 'POST', '/api/check', { path: [] });
    expect(second.status).toBe(409);
    expect(second.json.error.message).toMatch(/still running; stop it first/);
    // Wait for it to be under way, then stop it.
    for (;;) {
      const r = await call(s.base, 'GET', `/api/check/${started.json.id}`);
      if (r.json.stats?.distinctStates > 0 || r.json.status === 'done') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const stopped = await call(s.base, 'DELETE', `/api/check/${started.json.id}`);
    expect(stopped.status).toBe(200);
    const done = await waitForSearch(s.base, started.json.id);
    expect(done.result.verdict).toBe('incomplete');
    expect(done.result.message).toMatch(/interrupted/);
  });
});

describe('explore API: loading a saved trace', () => {
  let s: ExploreServer;
  let dir: string;
  let saved: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-explore-'));
    const r = faultline(['check', 'specs/split-brain.buggy.ts', '--no-typecheck', '--save-trace', dir]);
    expect(r.code).toBe(0); // the spec expects its violation
    saved = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.itf.json'))!);
    s = await startExplore(['specs/split-brain.buggy.ts', '--trace', saved]);
  });
  afterAll(async () => {
    await s?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('POST /api/trace turns the ITF document into a path under its params and budgets', async () => {
    const r = await call(s.base, 'POST', '/api/trace', fs.readFileSync(saved, 'utf8'), true);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ spec: 'split-brain.buggy', init: 0, outcome: 'reproduced', saved: { property: 'oneLeaderPerTerm' } });
    expect(r.json.path).toHaveLength(8);
    expect(r.json.path).toContain('partition node1 | node2,node3');
    const end = await call(s.base, 'POST', '/api/state', { params: r.json.params, faults: r.json.faults, init: 0, path: r.json.path });
    expect(end.json.properties.find((p: any) => p.name === 'oneLeaderPerTerm').holds).toBe(false);
  });

  it('--trace prints a URL whose fragment is the saved path, at step 0', () => {
    const frag = decodeURIComponent(s.printed.split('#')[1]!);
    expect(frag).toContain('s=partition node1 | node2,node3');
    expect(frag).toMatch(/&at=0$/);
  });

  it('a trace edited so that a step no longer fits: the part before it, and which step', async () => {
    const doc = JSON.parse(fs.readFileSync(saved, 'utf8'));
    // Step 3's state says a node is crashed: no action of the spec leads there.
    doc.states[3].nodes.node2.status = 'crashed';
    const r = await call(s.base, 'POST', '/api/trace', doc);
    expect(r.status).toBe(200);
    expect(r.json.stopped).toMatchObject({ step: 3 });
    expect(r.json.stopped.message).toMatch(/^step 3 \(.*\) no longer fits the spec: it leads to a different state$/);
    expect(r.json.path).toHaveLength(2);
  });

  it('a trace of another spec → 400', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-explore-'));
    faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--save-trace', other]);
    const f = path.join(other, fs.readdirSync(other)[0]!);
    const r = await call(s.base, 'POST', '/api/trace', fs.readFileSync(f, 'utf8'), true);
    fs.rmSync(other, { recursive: true, force: true });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/cannot load the trace: unknown param "goal"/);
  });
});

describe('explore API on core specs', () => {
  it('specs/diehard.ts: the state fields, the actions, no network panels; a search from here', async () => {
    const s = await startExplore(['specs/diehard.ts']);
    try {
      const r = await call(s.base, 'POST', '/api/state', { path: ['FillBig', 'BigToSmall'] });
      expect(r.json.kind).toBe('core');
      expect(r.json.chart).toBeUndefined();
      expect(r.json.state).toEqual({
        kind: 'core',
        fields: [
          { name: 'big', value: '2', changed: true },
          { name: 'small', value: '3', changed: true },
        ],
      });
      expect(r.json.steps[2]).toMatchObject({ head: '2  BigToSmall', body: ['big: 5 → 2', 'small: 0 → 3'] });
      // A core spec's actions are listed even where they change nothing (FillSmall, BigToSmall here), as the search sees them.
      expect(r.json.actions.map((a: any) => a.key)).toEqual(['FillSmall', 'FillBig', 'EmptySmall', 'EmptyBig', 'SmallToBig', 'BigToSmall']);
      const job = await call(s.base, 'POST', '/api/check', { path: ['FillBig', 'BigToSmall'] });
      const done = await waitForSearch(s.base, job.json.id);
      expect(done.result).toMatchObject({ verdict: 'violation', property: 'NotSolved' });
      expect(done.result.keys).toHaveLength(4);
    } finally {
      await s.stop();
    }
  });

  it('specs/lww-skew.buggy.ts: at step 0 the search starts from every initial state, as check does, and says which', async () => {
    const s = await startExplore(['specs/lww-skew.buggy.ts']);
    try {
      const spec = await call(s.base, 'GET', '/api/spec');
      expect(spec.json.initialStates).toBeGreaterThan(1); // one per clock skew
      const job = await call(s.base, 'POST', '/api/check', { path: [] });
      const done = await waitForSearch(s.base, job.json.id);
      expect(done.result).toMatchObject({ verdict: 'violation', property: 'causalWriteKept' });
      expect(done.result.keys).toHaveLength(4); // check's shortest counterexample: 4 actions
      const end = await call(s.base, 'POST', '/api/state', { init: done.result.init, path: done.result.keys });
      expect(end.json.properties.find((p: any) => p.name === 'causalWriteKept').holds).toBe(false);
      // The initial states are told apart by what differs: here the replicas' clock skews.
      expect(end.json.initialChoices).toHaveLength(spec.json.initialStates);
      expect(end.json.initialChoices[done.result.init]).toMatch(/replica1\.clockOffset = 1, replica2\.clockOffset = -1/);
    } finally {
      await s.stop();
    }
  });

  it('specs/diehard.packed.ts: the search from here runs on the decoded states', async () => {
    const s = await startExplore(['specs/diehard.packed.ts']);
    try {
      const job = await call(s.base, 'POST', '/api/check', { path: [] });
      const done = await waitForSearch(s.base, job.json.id);
      expect(done.result.verdict).toBe('violation');
      expect(done.result.keys).toHaveLength(6); // the 6-step solution of check
    } finally {
      await s.stop();
    }
  });

  it('a spec that throws in an action: the error and the step it happened at, and the server goes on', async () => {
    const s = await startExplore(['test/explorer/fixtures/throws.ts']);
    try {
      const r = await call(s.base, 'POST', '/api/state', { path: ['Step', 'Step'] });
      expect(r.status).toBe(200);
      expect(r.json.path).toEqual(['Step', 'Step']);
      expect(r.json.error.step).toBe(2);
      expect(r.json.error.message).toMatch(/counter overflow at 2/);
      expect(r.json.actions).toEqual([]);
      const earlier = await call(s.base, 'POST', '/api/state', { path: ['Step'] });
      expect(earlier.json.error).toBeUndefined();
      expect(earlier.json.actions.map((a: any) => a.key)).toEqual(['Step']);
    } finally {
      await s.stop();
    }
  });
});

describe('faultline explore: bad command lines exit 2 with a message', () => {
  it('an unknown param', () => {
    const r = faultline(['explore', 'specs/diehard.ts', '--no-typecheck', '-p', 'nope=1', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown param "nope" for spec "diehard"/);
  });
  it('a bad port', () => {
    const r = faultline(['explore', 'specs/diehard.ts', '--no-typecheck', '--port', '99999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port must be a port number/);
  });
  it('a missing trace file', () => {
    const r = faultline(['explore', 'specs/diehard.ts', '--no-typecheck', '--port', '0', '--trace', path.join(root, 'no-such.itf.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read the trace/);
  });
});

describe('faultline explore: stopped by a signal, like every command', () => {
  it('SIGTERM: exit 143, and the server no longer answers', async () => {
    const s = await startExplore(['specs/diehard.ts']);
    expect((await call(s.base, 'GET', '/api/spec')).status).toBe(200);
    expect(await s.stop('SIGTERM')).toBe(143);
    await expect(fetch(s.base + '/api/spec')).rejects.toThrow();
  });
});
