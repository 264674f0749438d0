/**
 * The installed package's version, for `ssesim --version`. Read from package.json at run time:
 * from the sources it is one folder up, from the compiled dist/cli/ two.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CANDIDATES = ['../package.json', '../../package.json'];

export function packageVersion(): string {
  for (const candidate of CANDIDATES) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (!existsSync(path)) continue;
    const json = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown };
    if (json.name === 'ssesim' && typeof json.version === 'string') return json.version;
  }
  throw new Error('packageVersion: no package.json of ssesim above cli/');
}
