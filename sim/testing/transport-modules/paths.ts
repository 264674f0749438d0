/** Absolute paths of the transport module fixtures, for tests that name a module by path. */
import { fileURLToPath } from 'node:url';

export const BUNDLED_ALIAS_TRANSPORT = fileURLToPath(new URL('./bundled-alias-transport.ts', import.meta.url));
export const DROP_SENDS_TRANSPORT = fileURLToPath(new URL('./drop-sends-transport.ts', import.meta.url));
