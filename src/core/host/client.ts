import { Worker } from 'node:worker_threads';
import type { InterpreterInfo } from '../model';
import type { HostCall, HostEvent, HostMessage, HostOptions, HostRequest, HostResults, HostStartup } from './protocol';

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  onEvent?: (event: HostEvent) => void;
}

/**
 * The client's side of the analysis host: starts the worker, sends requests in order and matches
 * the replies. Everything the analyzer does happens in the worker; this thread only sends text and
 * receives reports.
 */
export class AnalysisHostClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly interpreter: InterpreterInfo | null,
    /** Why the configured interpreter was not used, if it was not. */
    readonly warning: string | undefined,
    readonly startup: HostStartup,
  ) {
    worker.on('message', (message: HostMessage) => this.receive(message));
    worker.on('error', (error) => this.fail(new Error(`the analysis host failed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`the analysis host exited (code ${code})`)));
  }

  /** Starts a host; `script` is a language's host worker (`analysisHost.js`, `typescriptHost.js`). */
  static start(options: HostOptions, script: string): Promise<AnalysisHostClient> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(script, { workerData: options });
      const early = (error: Error): void => reject(new Error(`the analysis host could not start: ${error.message}`));
      worker.once('error', early);
      worker.once('message', (message: HostMessage) => {
        worker.off('error', early);
        if (message.kind === 'started') {
          resolve(new AnalysisHostClient(worker, message.interpreter, message.warning, message.startup));
        } else {
          void worker.terminate();
          reject(new Error(`the analyzer could not start: ${message.kind === 'failed-to-start' ? message.error : message.kind}`));
        }
      });
    });
  }

  /** Sends a request; the host answers requests in the order they were sent (a pass runs beside them). */
  call<K extends HostRequest['kind']>(request: Extract<HostRequest, { kind: K }>, onEvent?: (event: HostEvent) => void): Promise<HostResults[K]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<HostResults[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject, onEvent });
      this.worker.postMessage({ id, request } satisfies HostCall);
    });
  }

  private receive(message: HostMessage): void {
    if (message.kind === 'started' || message.kind === 'failed-to-start') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.kind) {
      case 'reply':
        this.pending.delete(message.id);
        pending.resolve(message.result);
        break;
      case 'error':
        this.pending.delete(message.id);
        pending.reject(new Error(message.error));
        break;
      default:
        pending.onEvent?.(message);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  /** Stops the host (its index, a pass in progress); later calls fail. */
  async dispose(): Promise<void> {
    this.fail(new Error('the analysis host was stopped'));
    await this.worker.terminate();
  }
}
