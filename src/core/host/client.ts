import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { FileReport, InterpreterInfo } from '../model';
import type { HostCall, HostEvent, HostMessage, HostOptions, HostRequest, HostResults, HostStartup, UpdateReply } from './protocol';

/**
 * A Python analysis host's limits: its old generation's, 2000 MB, is ten times the whole standard library's live set
 * (~200 MB), so that no workspace reaches it. Below 2048 MB, V8 lets the heap grow about 2× past what the last
 * full collection kept, instead of up to 4× with its default limit on a large machine (4 GB on 24 GB of RAM); a
 * cold pass's peak is its live set plus the garbage made since that collection. Not for the TS/JS host:
 * tsserver-sized projects need more.
 */
export const PYTHON_HOST_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 2000 };

interface Pending {
  request: HostRequest;
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
  /** Each open document's report as the host last replied it to an update: what the next update's reply changes. */
  private readonly updated = new Map<string, FileReport>();

  private constructor(
    private readonly worker: Worker,
    readonly interpreter: InterpreterInfo | null,
    /** Why the configured interpreter was not used, if it was not. */
    readonly warning: string | undefined,
    readonly startup: HostStartup,
    resourceLimits: ResourceLimits | undefined,
  ) {
    worker.on('message', (message: HostMessage) => this.receive(message));
    worker.on('error', (error) => this.fail(new Error(`the analysis host failed: ${hostFailure(error, resourceLimits)}`)));
    worker.on('exit', (code) => this.fail(new Error(`the analysis host exited (code ${code})`)));
  }

  /** Starts a host; `script` is a language's host worker (`analysisHost.js`, `typescriptHost.js`). */
  static start(options: HostOptions, script: string, resourceLimits?: ResourceLimits): Promise<AnalysisHostClient> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(script, { workerData: options, resourceLimits });
      const early = (error: Error): void => reject(new Error(`the analysis host could not start: ${hostFailure(error, resourceLimits)}`));
      worker.once('error', early);
      worker.once('message', (message: HostMessage) => {
        worker.off('error', early);
        if (message.kind === 'started') {
          resolve(new AnalysisHostClient(worker, message.interpreter, message.warning, message.startup, resourceLimits));
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
      this.pending.set(id, { request, resolve: resolve as (result: unknown) => void, reject, onEvent });
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
        try {
          pending.resolve(this.received(pending.request, message.result));
        } catch (error) {
          pending.reject(error as Error);
        }
        break;
      case 'error':
        this.pending.delete(message.id);
        if (pending.request.kind === 'close') this.updated.delete(pending.request.file);
        pending.reject(new Error(message.error));
        break;
      default:
        pending.onEvent?.(message);
    }
  }

  /** A reply as the caller gets it: an update's report rebuilt from what changed (the host keeps the same reports, see `HostBase`). */
  private received(request: HostRequest, result: unknown): unknown {
    if (request.kind === 'close') this.updated.delete(request.file);
    if (request.kind !== 'update') return result;
    const reply = result as UpdateReply;
    let report: FileReport;
    if ('kind' in reply) {
      const previous = this.updated.get(request.file);
      if (!previous) throw new Error(`the analysis host replied a change of ${request.file}, whose previous report this client does not hold`);
      const functions = reply.functions.map((fn) => (typeof fn === 'number' ? previous.functions[fn] : fn) as FileReport['functions'][number]);
      report = { ...previous, functions, findings: reply.findings, errors: reply.errors };
    } else {
      report = reply;
    }
    this.updated.set(request.file, report);
    return report;
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

/** Why the host's worker stopped; one that reached its memory limit is ended by Node (the editor goes on), and says so. */
function hostFailure(error: Error & { code?: string }, resourceLimits: ResourceLimits | undefined): string {
  if (error.code !== 'ERR_WORKER_OUT_OF_MEMORY') return error.message;
  const limit = resourceLimits?.maxOldGenerationSizeMb;
  return `out of memory${limit === undefined ? '' : ` (the limit: ${limit} MB of JavaScript heap)`}: ${error.message}`;
}
