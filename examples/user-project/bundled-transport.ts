/**
 * A transport module in its simplest form: the bundled transport, re-exported through the
 * package's public API. A module's default export is its TransportFactory; this one is what
 * `npx ssesim run default --transport ./bundled-transport.ts` runs.
 */
import { bundledTransport } from 'ssesim';

export default bundledTransport;
