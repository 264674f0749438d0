/**
 * A broken transport module: the bundled server, with a client that reports every prompt as sent
 * and never sends it. What a user's own bug looks like to ssesim: no-silent-loss fails.
 */
import { bundledTransport, type TransportFactory } from 'ssesim';

const dropSends: TransportFactory = {
  ...bundledTransport,
  name: 'drop-sends',
  createClient(env, io, version) {
    const client = bundledTransport.createClient(env, io, version);
    return { ...client, send: (message) => (message.type === 'send' ? true : client.send(message)) };
  },
};

export default dropSends;
