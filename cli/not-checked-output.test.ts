/**
 * A property the run could not check is said to be not checked, with what it needed, in every
 * output a person or a CI job reads: the text summary, --json, the HTML report and JUnit. Never a
 * silent pass: the verdict of such a run is still `passed`, so the outputs must carry the gap.
 */
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../transport/defects.ts';
import { runScenario } from '../sim/run.ts';
import { realTransportFactory, type TransportFactory } from '../sim/world/transport-factory.ts';
import { OBSERVATION_KINDS } from '../model/observation-kind.ts';
import { PROPERTY_IDS } from '../model/property-id.ts';
import { TINY_CALM } from '../sim/testing/tiny-scenarios.ts';
import { renderHtmlReport } from '../reports/html-report.ts';
import { runToJUnitXml } from '../reports/junit.ts';
import { runJson, runText } from './run-output.ts';

/** The bundled transport, except that its client keeps its cursor to itself. */
const noCursorFactory: TransportFactory = {
  ...realTransportFactory,
  name: 'test-no-cursor',
  observations: OBSERVATION_KINDS.filter((kind) => kind !== 'cursor'),
  createClient: (env, io, version) =>
    realTransportFactory.createClient(env, { ...io, observe: { ...io.observe, cursor: () => {} } }, version),
};

const run = (factory?: TransportFactory) =>
  runScenario({ scenario: TINY_CALM, seed: 5, version: resolveVersion('fixed'), factory });

describe('a run whose client reports no cursor', () => {
  it('passes, with cursor-monotonic not checked and no cursor in its history', async () => {
    const result = await run(noCursorFactory);
    expect(result.verdict).toBe('passed');
    expect(result.history.entries.filter((e) => e.kind === 'cursor')).toEqual([]);
    expect(result.properties['cursor-monotonic']).toEqual({ status: 'not-checked', needs: ['cursor'] });
    const others = Object.entries(result.properties).filter(([id]) => id !== 'cursor-monotonic');
    expect(others.every(([, outcome]) => outcome.status === 'passed')).toBe(true);
  });

  it('says so in the text summary', async () => {
    const text = runText(await run(noCursorFactory));
    expect(text[0]).toMatch(/^passed: /);
    expect(text).toContain('  cursor-monotonic: not checked (needs: cursor)');
    expect(text.filter((line) => line.includes('not checked'))).toHaveLength(1);
    expect(runText(await run()).filter((line) => line.includes('not checked'))).toEqual([]);
  });

  it('says so in --json', async () => {
    const json = JSON.parse(JSON.stringify(runJson(await run(noCursorFactory))));
    expect(json.verdict).toBe('passed');
    expect(json.properties['cursor-monotonic']).toEqual({ status: 'not-checked', needs: ['cursor'] });
    expect(json.properties['session-order']).toEqual({ status: 'passed' });
  });

  it('says so in the HTML report', async () => {
    const html = renderHtmlReport(await run(noCursorFactory));
    const row = '<tr class="property-not-checked"><td><code>cursor-monotonic</code></td>';
    expect(html).toContain(`${row}<td>not checked (needs: cursor)</td></tr>`);
    expect(html).toContain('<tr class="property-passed"><td><code>session-order</code></td><td>passed</td></tr>');
    expect(html).toContain(`Not checked: 1 of ${PROPERTY_IDS.length}`);
  });

  it('says so in JUnit, as a skipped case with the reason', async () => {
    const xml = runToJUnitXml(await run(noCursorFactory));
    const open = '<testcase name="cursor-monotonic" classname="ssesim.fixed.properties" time="0.000">';
    expect(xml).toContain(`${open}\n      <skipped message="not checked (needs: cursor)"/>\n    </testcase>`);
    expect(xml).toMatch(/<testcase name="session-order" classname="ssesim\.fixed\.properties" time="0\.000"\/>/);
    const n = PROPERTY_IDS.length;
    expect(xml).toMatch(new RegExp(`<testsuites name="ssesim" tests="${n}" failures="0" errors="0"`));
    expect(xml).toMatch(
      new RegExp(`<testsuite name="ssesim\\.properties\\.fixed" tests="${n}" failures="0" errors="0" skipped="1"`),
    );
    expect(runToJUnitXml(await run())).not.toContain('<skipped');
  });
});
