// Puts the app on a port: what `tiendo serve` runs. The app itself is built by buildApp (app.ts).
import type { FastifyInstance } from 'fastify';
import { type AppDeps, buildApp, GRAPHQL_PATH } from './app.js';

export const DEFAULT_PORT = 4000;

export interface ListenOptions {
  readonly port?: number;
  readonly host?: string;
}

export interface Server {
  readonly app: FastifyInstance;
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startServer(deps: AppDeps, options: ListenOptions = {}): Promise<Server> {
  const app = buildApp(deps);
  const host = options.host ?? 'localhost';
  await app.listen({ port: options.port ?? DEFAULT_PORT, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { app, url: `http://${host}:${port}${GRAPHQL_PATH}`, close: () => app.close() };
}
