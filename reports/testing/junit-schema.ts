/**
 * Validates JUnit XML against the Ant/Jenkins schema (junit-10.xsd beside this file) with libxml2
 * compiled to WebAssembly: the check CI dashboards effectively make, without a binary to install.
 */
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';

const SCHEMA = readFileSync(new URL('./junit-10.xsd', import.meta.url), 'utf8');

/** Every schema error, as libxml2 words it; none when the document is valid. */
export async function junitSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [SCHEMA] });
  return result.valid ? [] : result.errors.map((error) => error.rawMessage);
}
