import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshLatestDir } from './main-job.ts';

describe('freshLatestDir', () => {
  it('moves earlier job folders aside to the first free previous-N and never deletes one', () => {
    const root = mkdtempSync(join(tmpdir(), 'ssesim-main-job-'));
    const latest = join(root, 'latest');
    expect(freshLatestDir(root, latest)).toBeNull();
    writeFileSync(join(latest, 'report.html'), 'first');
    expect(freshLatestDir(root, latest)).toBe(`${root}/previous-1`);
    writeFileSync(join(latest, 'report.html'), 'second');
    mkdirSync(join(root, 'previous-2'));
    expect(freshLatestDir(root, latest)).toBe(`${root}/previous-3`);
    expect(readFileSync(join(root, 'previous-1', 'report.html'), 'utf8')).toBe('first');
    expect(readFileSync(join(root, 'previous-3', 'report.html'), 'utf8')).toBe('second');
    expect(existsSync(latest)).toBe(true);
  });
});
