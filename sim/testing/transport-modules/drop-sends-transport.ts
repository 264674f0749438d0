/**
 * A broken transport module: its client reports every prompt as sent and never sends one. Any
 * run with a prompt in it violates no-silent-loss, so a test of the failure path needs no faults.
 */
import { realTransportFactory, type TransportFactory } from '../../world/index.ts';

const dropSends: TransportFactory = {
  ...realTransportFactory,
  name: 'drop-sends',
  createClient(env, io, version) {
    const client = realTransportFactory.createClient(env, io, version);
    return { ...client, send: (message) => (message.type === 'send' ? true : client.send(message)) };
  },
};

export default dropSends;
