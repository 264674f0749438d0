/** `ssesim list`: the scenarios, versions, defects and properties a run can name. */
import { listScenarioFiles, loadScenarioFile } from '../scenarios/index.ts';
import { DEFECTS, VERSION_NAMES, resolveVersion } from '../transport/index.ts';
import { cataloguedProperties } from '../scenarios/index.ts';
import { PROPERTY_IDS } from '../model/index.ts';
import { printJson, printOut } from './output.ts';

export interface ListOptions {
  json?: boolean;
}

export function listCommand(options: ListOptions): number {
  const scenarios = listScenarioFiles().map((file) => ({
    name: file.name,
    description: loadScenarioFile(file.path).description ?? '',
  }));
  const versions = VERSION_NAMES.map((name) => {
    const version = resolveVersion(name);
    return { name, sendPath: version.sendPath, defects: version.defects.list() };
  });
  const defects = DEFECTS.map(({ id, site, tags, summary }) => ({
    id,
    site,
    tags,
    properties: cataloguedProperties(id),
    summary,
  }));
  if (options.json) {
    printJson({ scenarios, versions, defects, properties: PROPERTY_IDS });
    return 0;
  }
  printOut('scenarios:');
  for (const s of scenarios) printOut(`  ${s.name.padEnd(16)} ${s.description}`);
  printOut('versions:');
  for (const v of versions) printOut(`  ${v.name.padEnd(16)} ${v.defects.length} defects, ${v.sendPath} send path`);
  printOut('defects (--defect NAME):');
  for (const d of defects) printOut(`  ${d.id.padEnd(28)} [${d.site}] ${d.summary} -> ${d.properties.join(', ')}`);
  printOut('properties:');
  printOut(`  ${PROPERTY_IDS.join(', ')}`);
  return 0;
}
