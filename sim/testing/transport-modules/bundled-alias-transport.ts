/**
 * A transport module as a user writes one, for tests of loading modules by path: the bundled
 * transport under another name. Its runs are the bundled transport's runs, trace for trace.
 */
import { realTransportFactory, type TransportFactory } from '../../world/index.ts';

const alias: TransportFactory = { ...realTransportFactory, name: 'bundled-alias' };

export default alias;
