/**
 * The Express chat server under ssesim, as its own project would test it: through the package's
 * entries only (`'../../index.ts'` is `'ssesim'`) and the `ssesim` command line. The app runs in
 * the simulator unchanged (transport.ts); its two known bugs (chat-store.ts, prompt-routes.ts)
 * are what the campaign finds.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  readRepro,
  replayRepro,
  resolveScenario,
  resolveVersion,
  runCampaign,
  runScenario,
  runVersionOf,
  type CampaignResult,
  type RunResult,
} from '../../index.ts';
import transport from './transport.ts';
import withNaiveClient from './with-naive-client.ts';

/** The module path as a user types it from the project root: repro commands name it. */
const MODULE = 'examples/express-chat-server/transport.ts';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const outDir = (): string => mkdtempSync(join(tmpdir(), 'express-chat-server-'));

/** `npx ssesim ...` from the project root, on the sources through tsx as a clone runs it. */
function ssesim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, join(ROOT, 'cli.ts'), ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr });
    });
  });
}

describe('the Express chat server on the command line', () => {
  it('runs byte-identically twice from one seed (--check-determinism)', { timeout: 60_000 }, async () => {
    const out = outDir();
    const { code, stdout, stderr } = await ssesim([
      'run',
      'default',
      '--seed',
      '5',
      '--transport',
      MODULE,
      '--check-determinism',
      '--json',
      '--out',
      out,
    ]);
    expect(stderr).not.toMatch(/NOT deterministic/);
    expect([0, 1]).toContain(code);
    const result = JSON.parse(stdout) as { deterministic: boolean; faultsNotApplicable: Record<string, string[]> };
    expect(result.deterministic).toBe(true);
    // The app cannot forget a connection and takes no interrupt decision: those faults are never drawn.
    expect(result.faultsNotApplicable).toEqual({
      'interrupt-reject': ['interrupts'],
      'forget-connection': ['forgetConnection'],
    });
  });
});

describe('the Express chat server under a 200-run campaign through --transport', () => {
  let campaign: CampaignResult;
  beforeAll(async () => {
    campaign = await runCampaign({
      transport: MODULE,
      version: runVersionOf(resolveVersion('fixed')),
      baseSeed: 1,
      runs: 200,
      workers: 1,
      // Replaying is the point here, not the smallest repro or the culprits: those take their own runs.
      shrinkRuns: 0,
      culpritRuns: 0,
      outDir: outDir(),
    });
  }, 900_000);

  it('finds both of the app’s bugs: seqs repeated after a restart, a retried prompt stored and run twice', () => {
    expect(campaign.outcomes).toHaveLength(200);
    const properties = new Set(campaign.findings.map((finding) => finding.property));
    expect([...properties]).toEqual(expect.arrayContaining(['session-order', 'at-most-once']));
  });

  it('leaves a repro of every finding that replays identically', { timeout: 120_000 }, async () => {
    for (const finding of campaign.findings) {
      const repro = readRepro(finding.repro);
      expect(repro.transport?.path).toBe(MODULE);
      const replayed = await replayRepro(repro);
      expect(replayed.traceHash, finding.signature).toBe(repro.traceHash);
    }
  });

  it('shows the faults the server cannot take as not applicable, never as enabled and unfired', () => {
    expect(campaign.coverage['forget-connection']).toMatchObject({
      enabledRuns: 0,
      fired: 0,
      needs: ['forgetConnection'],
    });
    expect(campaign.coverage['forget-connection']!.notApplicableRuns).toBeGreaterThan(0);
    expect(campaign.coverage['interrupt-reject']).toMatchObject({ enabledRuns: 0, fired: 0, needs: ['interrupts'] });
    expect(campaign.coverage['server-crash']!.fired).toBeGreaterThan(0);
  });
});

/** The `messages` table as the app wrote it, read straight from the file. */
function messagesInFile(path: string): { session_id: string; seq: number; kind: string; body_json: string }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT session_id, seq, kind, body_json FROM messages ORDER BY session_id, seq, id').all() as {
      session_id: string;
      seq: number;
      kind: string;
      body_json: string;
    }[];
  } finally {
    db.close();
  }
}

/** The clientMsgIds of prompts whose POST the server answered 2xx, as the network delivered it. */
function acknowledgedPrompts(result: RunResult): Set<string> {
  const acknowledged = new Set<string>();
  for (const entry of result.history.entries)
    if (entry.kind === 'send-outcome' && entry.status !== null && entry.status >= 200 && entry.status < 300)
      acknowledged.add(entry.clientMsgId);
  return acknowledged;
}

describe('a crash of the Express chat server', () => {
  it('loses nothing it had committed: the end state is the file, and every acknowledged prompt is in it', async () => {
    const store = join(outDir(), 'chat.sqlite');
    const scenario = resolveScenario('default');
    const result = await runScenario({
      scenario,
      seed: 5,
      version: resolveVersion('fixed'),
      factory: transport,
      storePath: store,
    });
    expect(result.faultCounts['server-crash']).toBeGreaterThan(0);
    const rows = messagesInFile(store);
    for (const [sessionId, seqs] of Object.entries(result.history.end.sessionSeqs))
      expect(seqs, sessionId).toEqual(rows.filter((row) => row.session_id === sessionId).map((row) => row.seq));
    const persisted = new Set(
      rows.filter((row) => row.kind === 'user_message').map((row) => String(JSON.parse(row.body_json).clientMsgId)),
    );
    expect(new Set(result.history.end.userMessages.map((message) => message.clientMsgId))).toEqual(persisted);
    const acknowledged = acknowledgedPrompts(result);
    expect(acknowledged.size).toBeGreaterThan(0);
    for (const clientMsgId of acknowledged) expect(persisted, clientMsgId).toContain(clientMsgId);
  });
});

describe('the Express chat server with the naive chat client', () => {
  it('runs the two apps together, the same twice, judged by what the naive client reports', async () => {
    const options = { scenario: resolveScenario('default'), seed: 2, version: resolveVersion('fixed') };
    const first = await runScenario({ ...options, factory: withNaiveClient });
    const second = await runScenario({ ...options, factory: withNaiveClient });
    expect(first.harnessError).toBeUndefined();
    expect(first.history.entries.some((entry) => entry.kind === 'send-outcome' && entry.status === 202)).toBe(true);
    expect(second.traceHash).toBe(first.traceHash);
    expect(first.properties['cursor-monotonic'].status).not.toBe('not-checked');
    expect(first.properties['at-most-once'].status).not.toBe('not-checked');
    expect(first.properties.liveness).toEqual({
      status: 'not-checked',
      needs: ['pending-count', 'open-permission-requests'],
    });
  });
});
