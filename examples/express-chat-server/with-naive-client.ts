/**
 * The Express chat server (app.ts) with the naive chat client of examples/naive-chat-client/: an
 * app whose server and client were both written without ssesim, tested together. The server
 * half is this folder's transport.ts, the client half the naive client's module; the
 * observations are what that client reports (its cursor) and what the server reports.
 */
import type { TransportFactory } from '../../index.ts';
import naiveChatClient from '../naive-chat-client/transport.ts';
import expressChatServer from './transport.ts';

const expressWithNaiveClient: TransportFactory = {
  ...naiveChatClient,
  name: 'express-chat-server+naive-chat-client',
  observations: ['cursor', 'frames-sent', 'reconnect-replays', 'agent-runs'],
  createStore: expressChatServer.createStore,
  createServer: expressChatServer.createServer,
};

export default expressWithNaiveClient;
