/**
 * What became of each property in a run, as words every output uses the same way: the text
 * summary, --json's neighbours, the HTML report and JUnit. A property the run could not check is
 * shown as such, with the observations it lacked, never as passed.
 */
import type { PropertyId, PropertyResult, PropertyResults } from '../model/index.ts';
import { PROPERTY_IDS } from '../model/index.ts';

/** `passed`, `violated`, `not checked (needs: cursor)` or `not checked (the run did not finish)`. */
export function propertyResultText(result: PropertyResult): string {
  switch (result.status) {
    case 'passed':
      return 'passed';
    case 'violated':
      return 'violated';
    case 'not-checked':
      return `not checked (needs: ${result.needs.join(', ')})`;
    case 'unfinished':
      return 'not checked (the run did not finish)';
  }
}

/**
 * The properties in table order with their results. A result written before runs recorded them
 * (an older result.json) has none: the list is then empty rather than a guess.
 */
export function propertyRows(properties: PropertyResults | undefined): { id: PropertyId; result: PropertyResult }[] {
  if (properties === undefined) return [];
  return PROPERTY_IDS.flatMap((id) => (properties[id] === undefined ? [] : [{ id, result: properties[id] }]));
}

/** The properties a run did not check, for a skipped JUnit case or a summary line. */
export function notCheckedRows(properties: PropertyResults | undefined): { id: PropertyId; text: string }[] {
  return propertyRows(properties)
    .filter(({ result }) => result.status === 'not-checked' || result.status === 'unfinished')
    .map(({ id, result }) => ({ id, text: propertyResultText(result) }));
}
