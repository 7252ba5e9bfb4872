/**
 * The worker side shared by the analysis hosts (Python's and TS/JS's): the `started` handshake, then
 * requests answered one at a time, in order, except that a pass runs beside later requests (it yields
 * between slices, and they run in its pauses). Also the digest a host keeps of each report it sent.
 */
import { parentPort } from 'node:worker_threads';
import type { FileReport, InterpreterInfo } from '../model';
import type { HostCall, HostEvent, HostMessage, HostRequest, WireResults } from './protocol';

export interface RequestHandler {
  handle<K extends HostRequest['kind']>(request: Extract<HostRequest, { kind: K }>, id: number, emit: (event: HostEvent) => void): Promise<WireResults[K]>;
}

export interface StartedHost {
  host: RequestHandler;
  interpreter: InterpreterInfo | null;
  /** Why the analysis goes on without the configured interpreter, if it does. */
  warning?: string;
}

/** Serves the worker's port with the host `start` makes; a failed start is reported, and every request then fails. */
export function serveHost(start: () => Promise<StartedHost>): void {
  const port = parentPort;
  if (!port) return;
  const send = (message: HostMessage): void => port.postMessage(message);
  const loadedAt = Date.now();
  const ready = start().then(
    ({ host, interpreter, warning }) => {
      send({ kind: 'started', interpreter, ...(warning !== undefined && { warning }), startup: { loadedAt, readyAt: Date.now() } });
      return host;
    },
    (error: Error) => {
      send({ kind: 'failed-to-start', error: error.stack ?? error.message });
      return null;
    },
  );
  let queue: Promise<void> = Promise.resolve();
  port.on('message', ({ id, request }: HostCall) => {
    const run = async (): Promise<void> => {
      try {
        const host = await ready;
        if (!host) throw new Error('the analyzer did not start');
        send({ kind: 'reply', id, result: await host.handle(request, id, send) });
      } catch (error) {
        send({ kind: 'error', id, error: (error as Error).stack ?? String(error) });
      }
    };
    if (request.kind === 'pass') void queue.then(run);
    else queue = queue.then(run);
  });
}

/** FNV-1a over the report's JSON: equal reports, equal digests (a collision only delays an update to the next pass). */
export function digestOf(report: FileReport): number {
  const text = JSON.stringify(report);
  let hash = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) {
    hash ^= text.charCodeAt(k);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
