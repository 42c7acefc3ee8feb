/**
 * The GuardDuty + STS emulator's HTTP server. AWS SDKs reach it through an endpoint override
 * (`endpoint` in client config, or `AWS_ENDPOINT_URL_GUARDDUTY` / `AWS_ENDPOINT_URL_STS` /
 * `AWS_ENDPOINT_URL`); the control API lives under `/_emulator/`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from '../control/routes';
import { dispatchAwsCall } from './dispatch';
import { jsonReply, readBody, writeReply } from './http';
import { resolveOptions } from './options';
import type { EmulatorOptions } from './options';
import { readSigV4Scope } from './sigv4';
import { EmulatorState } from './state';

export type { EmulatorOptions } from './options';
export { EmulatorState } from './state';

/** A started emulator. */
export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:49152`; use it as the SDK endpoint. */
  url: string;
  port: number;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
  /** The live state, for in-process inspection; the control API is the supported way to change it. */
  state: EmulatorState;
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options?: EmulatorOptions): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  const state = new EmulatorState(resolved);
  const server = createServer((request, response) => {
    void handleRequest(state, request, response);
  });
  // Longer than clients keep an idle connection (Node's fetch: 4 s), so the client always closes
  // first: with Node's 5 s default, a busy machine let the server close a connection the client was
  // reusing, and that request failed with ECONNRESET.
  server.keepAliveTimeout = 65_000;
  await listen(server, resolved.port, resolved.host);
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  return {
    url: `http://${host}:${port}`,
    port,
    state,
    close: () => closeServer(server),
  };
}

async function handleRequest(state: EmulatorState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const rawBody = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://emulator.local');
    const method = request.method ?? 'GET';
    if (url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/')) {
      writeReply(response, handleControl(state, method, url.pathname, rawBody, url.searchParams));
      return;
    }
    const reply = await dispatchAwsCall(state, {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      rawBody,
      scope: readSigV4Scope(request.headers, url.searchParams),
    });
    writeReply(response, reply);
  } catch (error) {
    // A bug in the emulator, not an AWS error: say so plainly rather than imitate AWS.
    const message = error instanceof Error ? error.message : String(error);
    if (!response.headersSent) writeReply(response, jsonReply(500, { message: `Emulator error: ${message}` }));
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // SDK clients keep connections alive; without this, close() waits for them to time out.
    server.closeAllConnections();
  });
}
