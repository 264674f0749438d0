import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReportFiles } from './write-report.ts';
import { sampleRun } from './testing/sample-run.ts';

describe('writeReportFiles', () => {
  it('writes the HTML report, the Perfetto trace, the text timeline and the JUnit of its properties', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ssesim-report-')), 'nested');
    const paths = writeReportFiles(sampleRun(), dir);
    expect(paths).toEqual({
      html: join(dir, 'report.html'),
      perfetto: join(dir, 'trace.perfetto.json'),
      timeline: join(dir, 'timeline.txt'),
      junit: join(dir, 'junit.xml'),
    });
    expect(readFileSync(paths.junit, 'utf8')).toContain('<testcase name="no-silent-loss"');
    expect(readFileSync(paths.html, 'utf8')).toContain('<!DOCTYPE html>');
    expect(JSON.parse(readFileSync(paths.perfetto, 'utf8')).traceEvents.length).toBeGreaterThan(0);
    expect(readFileSync(paths.timeline, 'utf8')).toContain('no-silent-loss');
  });

  it('never overwrites: existing names get a counter and the paths used are returned', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssesim-report-'));
    writeFileSync(join(dir, 'report.html'), 'keep me');
    writeFileSync(join(dir, 'timeline.txt'), 'keep me too');
    const first = writeReportFiles(sampleRun(), dir);
    const second = writeReportFiles(sampleRun(), dir);
    expect(first).toEqual({
      html: join(dir, 'report-2.html'),
      perfetto: join(dir, 'trace.perfetto.json'),
      timeline: join(dir, 'timeline-2.txt'),
      junit: join(dir, 'junit.xml'),
    });
    expect(second).toEqual({
      html: join(dir, 'report-3.html'),
      perfetto: join(dir, 'trace-2.perfetto.json'),
      timeline: join(dir, 'timeline-3.txt'),
      junit: join(dir, 'junit-2.xml'),
    });
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('keep me');
    expect(readFileSync(join(dir, 'timeline.txt'), 'utf8')).toBe('keep me too');
    expect(readdirSync(dir).sort()).toHaveLength(10);
    // Same run, same bytes: the copies differ only in name.
    expect(readFileSync(second.html, 'utf8')).toBe(readFileSync(first.html, 'utf8'));
  });
});
