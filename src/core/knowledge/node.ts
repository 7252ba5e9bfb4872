import type { Constants } from '../cost/calibration';
import { ASSUMED_BUFFER } from '../cost/priors';
import { own } from '../own';
import { CHILD_RUN_SECONDS, childRun } from './programs';

/**
 * What well-known Node.js APIs do to the thread that calls them: wait synchronously (blocking the
 * event loop), start an asynchronous wait (the event loop runs on meanwhile), run CPU work on the
 * calling thread, or cost next to nothing. Data, not logic: the TypeScript/JavaScript analyzer looks
 * names up here.
 *
 * Node has no GIL: CPU work on the main thread blocks the event loop whether it is JavaScript or
 * native code (`crypto.pbkdf2Sync`, `zlib.gzipSync`), and `worker_threads` run either in parallel.
 * The asynchronous forms of those native calls (`crypto.pbkdf2`, `zlib.gzip`) already run on libuv's
 * thread pool, off the event loop.
 *
 * Keys are module-qualified names, with core modules without their `node:` prefix: `fs.readFileSync`,
 * `fs/promises.readFile`, `crypto.Hash.update` (a method keyed by the type of its receiver),
 * `fetch`, `JSON.parse` (globals). A key ending in `.*` covers every name below it that has no entry
 * of its own.
 */

export type NodeApiKind =
  /** Waits synchronously (sync file system calls, `execSync`, `Atomics.wait`): the event loop stops. */
  | 'sync-wait'
  /** Starts a wait and returns (a promise, a callback, an event): the event loop runs meanwhile. */
  | 'async-wait'
  /** CPU work on the calling thread (native or not): it blocks the event loop while it runs. */
  | 'cpu'
  /** Too little work per call to matter on its own (it still counts inside a loop). */
  | 'cheap';

export interface NodeApiEntry {
  kind: NodeApiKind;
  /** One line that evidence can cite. */
  why: string;
  /** Type of the value returned (awaited, for promises), so calls on it can be looked up. */
  returns?: string;
  /** Seconds one call takes: a stated prior, or a function of the call's argument sizes and the
   *  calibration; without it the kind's default (`nodeDefaultSeconds`) applies. */
  seconds?: number | NodeCostFunction;
  /** CPU work heavy enough per call that running it inside an async function or a request handler
   *  stalls every other request (key derivation, compression). */
  heavy?: true;
  /** What to use instead, for sync waits (evidence and findings name it). */
  instead?: string;
  /** A local file system call (the page cache, a local disk): of a size the code does not tell it is taken to be
   *  short (microseconds to a millisecond), not grown to a task worth a pool as an unknown network wait or CPU work is. */
  local?: true;
  /** Work run in libuv's thread pool while the caller awaits it, off the event loop: `cpu` (compression, key derivation,
   *  Web Crypto) on the machine's cores, which every such call of the process shares; `wait` (file system calls) holding
   *  one of the pool's threads while the OS works, which every such call of the process shares. */
  pool?: 'cpu' | 'wait';
  /** The call's form with a callback written in place (`crypto.sign(alg, data, key, (error, signature) => …)`): it runs
   *  elsewhere (libuv's pool), not on the calling thread as the form without one. */
  withCallback?: NodeApiEntry;
  /** A stream stage's form when the code tells the bytes that pass through it (`TsCallFact.streamedBytes`): the work of the
   *  one-shot form on those bytes, where that form does it. */
  streamed?: NodeApiEntry;
  /** The call's form given a value that may be text (`TsCallFact.textArg`): `new Date(permit.expires)` parses a date. */
  ofText?: NodeApiEntry;
}

/** What the code tells of a call's arguments: each one's size (a number's value, a string's length,
 *  an array's items, a buffer's bytes), null where it does not. */
export interface CallSizes {
  args: readonly (number | null)[];
  /** The first argument when it is a string literal: the command of a call that starts a child process. */
  program?: string;
  /** Bytes of the `input` its options hand a child process, when told. */
  inputBytes?: number;
  /** That input (or the file it is given) is text drawn at random (`TsFunctionFacts.drawsAtRandom`). */
  inputDrawn?: true;
  /** The compression level its options state. */
  level?: number;
  /** A signature made with an RSA key of this many bits (`TsCallFact.rsaBits`). */
  rsaBits?: number;
  /** Bytes that pass through a stream stage (`TsCallFact.streamedBytes`). */
  streamedBytes?: number;
}

/** A call's likely seconds; `assumed` names the size it had to assume. */
export type NodeCostFunction = (
  sizes: CallSizes,
  constants: Constants,
) => {
  seconds: number;
  assumed?: string;
  /** Of `seconds`, CPU of the child process it waits for (`Cost.childCpu`). */
  childCpu?: number;
  /** What this call does, where its arguments make it other than the entry's `why` says. */
  why?: string;
};

/** Priors (seconds per call), for what the calibration does not measure. */
/** A network round trip to a service (an HTTP request, a database query): milliseconds. */
const ROUND_TRIP_SECONDS = 5e-3;
/** A file system metadata call (stat, mkdir, unlink): tens of microseconds. */
const METADATA_SECONDS = 2e-5;
/** A file read or write of unknown size, or a stream chunk: half a millisecond (a small file, not cached). */
const FILE_IO_SECONDS = 5e-4;
/** A disk flush (fsync): the calibrated flush of this machine's disk. */
const FLUSH_SECONDS: NodeCostFunction = (_, constants) => ({ seconds: constants['node.fsync'] });
/** Key derivation, key generation: tens of milliseconds per call by design. */
const KDF_SECONDS = 5e-2;
/** A child process running the command the code names, priced by the table of programs (programs.ts), else a CLI's run; the
 *  entry's own words stay (they say whether the event loop stops meanwhile). */
const CHILD_RUN: NodeCostFunction = ({ program, inputBytes, inputDrawn }) => {
  const { seconds, childCpu, assumed } = childRun(program, CHILD_RUN_SECONDS, inputBytes, inputDrawn === true);
  return { seconds, ...(childCpu !== undefined && { childCpu }), ...(assumed !== undefined && { assumed }) };
};
/** A timer whose delay the code does not tell. */
const TIMER_SECONDS = 1e-2;
/** Native CPU work of unknown size on the calling thread (a checksum). */
const NATIVE_CALL_SECONDS = 1e-5;
/** A locale formatter's call (ICU: a time zone's rules, the locale's patterns), the formatter made once. */
const INTL_FORMAT_SECONDS: NodeCostFunction = (_, constants) => ({ seconds: constants['node.intl_format'] });
const INTL_FORMAT = 'formats in ICU on the calling thread (a microsecond or more per call)';
/**
 * RSA signing's cost by the key's modulus, relative to RSA-3072's (`node.rsa_sign`): OpenSSL 3's RSA-2048 has a faster path
 * than the cubic growth of the others (rsa_sign_study.mjs: 0.27 / 1.78 / 4.0 ms at 2048 / 3072 / 4096 bits).
 */
const RSA_SIGN_BY_BITS: readonly (readonly [bits: number, share: number])[] = [[1024, 0.03], [2048, 0.15], [3072, 1], [4096, 2.25], [8192, 18]];
function rsaSignShare(bits: number): number {
  const above = RSA_SIGN_BY_BITS.findIndex(([size]) => size >= bits);
  if (above <= 0) return (RSA_SIGN_BY_BITS[above < 0 ? RSA_SIGN_BY_BITS.length - 1 : 0] as readonly [number, number])[1];
  const [lowBits, lowShare] = RSA_SIGN_BY_BITS[above - 1] as readonly [number, number];
  const [highBits, highShare] = RSA_SIGN_BY_BITS[above] as readonly [number, number];
  return lowShare + ((bits - lowBits) / (highBits - lowBits)) * (highShare - lowShare);
}
/** A signature made (the calibrated ECDSA P-256 one: tens of microseconds; with an RSA key, by its modulus: a millisecond or more). */
const SIGN_SECONDS: NodeCostFunction = ({ rsaBits }, constants) =>
  rsaBits === undefined
    ? { seconds: constants['node.sign'] }
    : { seconds: rsaSignShare(rsaBits) * constants['node.rsa_sign'], why: `signs with an RSA-${rsaBits} key in native code on the calling thread (a millisecond or more per signature)` };
const VERIFY_SECONDS: NodeCostFunction = (_, constants) => ({ seconds: constants['node.verify'] });
const SIGNS = 'signs in native code on the calling thread (tens of microseconds per signature)';
const VERIFIES = 'verifies a signature in native code on the calling thread (tens of microseconds)';
/** Per-call overhead of a hash (createHash + update + digest of a few bytes; the calibration's note). */
const HASH_CALL_SECONDS = 1.85e-6;
/** Brotli at its default quality (11) compresses far slower than deflate; decompressing is faster than compressing. */
const BROTLI_PER_DEFLATE = 20;
/**
 * Brotli's CPU per byte at each quality (0-11) against its default's (test/fixtures/typescript/brotli_quality_study.mjs:
 * the geometric mean over text-like data, CSV rows and JSON lines; qualities below 4 taken as 4's). The data swings the
 * ratios 2-10x either way; the steps between qualities (≤ 8, 9, 10, 11) hold on all three.
 */
const BROTLI_QUALITY_SHARE: readonly number[] = [0.0083, 0.0083, 0.0083, 0.0083, 0.0083, 0.0113, 0.0148, 0.0232, 0.0279, 0.153, 0.532, 1];
const DECOMPRESS_PER_DEFLATE = 0.2;
/** From this level on zlib tries far longer chains of earlier matches (1,024 and 4,096, against 128 at the default, 6). */
const DEFLATE_BEST_LEVEL = 8;

/** Bytes of a hash's digest by algorithm (`createHash('sha512')…digest()`): twice as many characters in hex. */
export const DIGEST_BYTES: Readonly<Record<string, number>> = { md5: 16, sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

/** The levels zlib's constants name (`zlib.constants.Z_BEST_COMPRESSION`); Z_DEFAULT_COMPRESSION (-1) is 6. */
export const ZLIB_LEVELS: Readonly<Record<string, number>> = { Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_DEFAULT_COMPRESSION: 6, Z_BEST_COMPRESSION: 9 };

const bytesOf = (size: number | null | undefined): { bytes: number; assumed?: string } =>
  typeof size === 'number' ? { bytes: size } : { bytes: ASSUMED_BUFFER, assumed: `a buffer of ~${ASSUMED_BUFFER / 1024} KiB assumed` };
/** Per byte of the first argument, `factor` times a calibrated constant, plus a fixed cost per call. */
const perByte = (constant: keyof Constants, factor = 1, perCall = 1e-6): NodeCostFunction => ({ args }, constants) => {
  const { bytes, assumed } = bytesOf(args[0]);
  return { seconds: perCall + bytes * factor * constants[constant], ...(assumed && { assumed }) };
};
/** Where a JSON text starts to cost more per byte to parse (the calibration of `node.json_parse_byte` stops below it). */
const LARGE_JSON_BYTES = 1 << 20;
/** JSON.parse: its first megabyte at the small texts' rate, the rest at the rate measured between 1 and 8 MB. */
const jsonParseSeconds: NodeCostFunction = ({ args }, constants) => {
  const { bytes, assumed } = bytesOf(args[0]);
  const large = Math.max(0, bytes - LARGE_JSON_BYTES);
  return { seconds: 1e-6 + (bytes - large) * constants['node.json_parse_byte'] + large * constants['node.json_parse_large_byte'], ...(assumed && { assumed }) };
};
/** A timer: the delay (milliseconds) is argument `index`. */
const timer = (index: number): NodeCostFunction => ({ args }) => {
  const ms = args[index];
  return typeof ms === 'number' ? { seconds: ms / 1000 } : { seconds: TIMER_SECONDS, assumed: 'a delay of unknown length' };
};
const hashSeconds = perByte('node.hash_sha256_byte', 1, HASH_CALL_SECONDS);
/** A cipher's work per byte, priced as SHA-256's (no constant of its own). */
const cipherSeconds = perByte('node.hash_sha256_byte', 1, HASH_CALL_SECONDS);
/** A calibrated price per call (a short text parsed or formatted). */
const perCallOf = (constant: keyof Constants): NodeCostFunction => (_, constants) => ({ seconds: constants[constant] });
/** A stream stage priced as its one-shot form on the bytes that pass through it. */
const streamedSeconds = (seconds: NodeCostFunction): NodeCostFunction => (sizes, constants) => seconds({ ...sizes, args: [sizes.streamedBytes ?? null] }, constants);
/**
 * Fresh memory, filled: per byte when the code tells the size (64 MB of `Buffer.alloc` is a fifth of a
 * second of page faults and filling), a cheap call when it does not (no size is assumed for it).
 */
const freshBytes = (extra?: keyof Constants): NodeCostFunction => ({ args }, constants) => {
  const size = args[0];
  const perByteSeconds = constants['node.buffer_fill_byte'] + (extra ? constants[extra] : 0);
  return { seconds: typeof size === 'number' ? 1e-6 + size * perByteSeconds : 2 * constants['node.function_call'] };
};

/** Bytes per element of each typed array. */
export const TYPED_ARRAYS: Readonly<Record<string, number>> = {
  Int8Array: 1, Uint8Array: 1, Uint8ClampedArray: 1, Int16Array: 2, Uint16Array: 2, Int32Array: 4, Uint32Array: 4,
  Float32Array: 4, Float64Array: 8, BigInt64Array: 8, BigUint64Array: 8,
};

/** `new Int32Array(n)` (or of an array of n items): n elements of fresh memory, zero-filled or copied. */
function typedArrays(): Record<string, NodeApiEntry> {
  const entries: Record<string, NodeApiEntry> = {};
  for (const [name, bytesPerElement] of Object.entries(TYPED_ARRAYS)) {
    const fill = freshBytes();
    entries[name] = cpu('allocates a typed array (fresh memory, zero-filled or copied)', ({ args }, constants) =>
      fill({ args: typeof args[0] === 'number' ? [args[0] * bytesPerElement] : [] }, constants));
  }
  return entries;
}

/** Seconds per call of an entry without a prior of its own: by kind. */
export function nodeDefaultSeconds(entry: NodeApiEntry, constants: Constants): number {
  switch (entry.kind) {
    case 'sync-wait':
    case 'async-wait':
      return FILE_IO_SECONDS;
    case 'cpu':
      return NATIVE_CALL_SECONDS;
    case 'cheap':
      return 2 * constants['node.function_call'];
  }
}

type Seconds = NodeApiEntry['seconds'];
const syncWait = (why: string, instead: string, seconds?: Seconds, returns?: string): NodeApiEntry => ({ kind: 'sync-wait', why, instead, ...(seconds !== undefined && { seconds }), ...(returns !== undefined && { returns }) });
const asyncWait = (why: string, returns?: string, seconds?: Seconds): NodeApiEntry => ({ kind: 'async-wait', why, ...(returns !== undefined && { returns }), ...(seconds !== undefined && { seconds }) });
const cpu = (why: string, seconds?: Seconds, returns?: string): NodeApiEntry => ({ kind: 'cpu', why, ...(seconds !== undefined && { seconds }), ...(returns !== undefined && { returns }) });
const heavy = (why: string, seconds: Seconds, returns?: string): NodeApiEntry => ({ kind: 'cpu', why, seconds, heavy: true, ...(returns !== undefined && { returns }) });
const cheap = (why: string, returns?: string): NodeApiEntry => ({ kind: 'cheap', why, ...(returns !== undefined && { returns }) });
const local = (entry: NodeApiEntry): NodeApiEntry => ({ ...entry, local: true });
const pooled = (entry: NodeApiEntry): NodeApiEntry => ({ ...entry, pool: 'cpu' });
const poolWait = (entry: NodeApiEntry): NodeApiEntry => ({ ...entry, pool: 'wait' });
const DATE_PARSE = cpu('parses a date text on the calling thread (a few hundred nanoseconds a call)', perCallOf('node.date_parse'), 'Date');
const NUMBER_PARSE = cpu('parses a number from text on the calling thread (tens of nanoseconds a call)', perCallOf('node.number_parse'));

const SYNC_FS = 'a synchronous file system call: the event loop stops until the OS is done';
const SYNC_META = 'a synchronous file system metadata call: the event loop stops for it';
const SYNC_CHILD = 'runs a child process and waits for it to exit: the event loop stops meanwhile';
const FS_ASYNC = 'asynchronous file I/O (libuv thread pool): the event loop runs while the OS works';
const FS_CALLBACK = 'callback file I/O (libuv thread pool): the event loop runs while the OS works';
const HTTP = 'an HTTP request: waits on the network without blocking the event loop';
const NETWORK = 'network I/O: waits on the socket without blocking the event loop';
const DB = 'a database call: waits on the server without blocking the event loop';
const TIMER = 'a timer: waits without blocking the event loop';
const CHILD = 'starts a child process and returns: the event loop runs while it works';
const POOL_CRYPTO = 'libuv\'s thread pool, off the event loop';
const ZLIB_SYNC = 'compression in native code on the calling thread: it blocks the event loop while it runs';
const KDF_SYNC = 'derives a key in native code on the calling thread: it blocks the event loop for the whole computation';
const HASHING = 'hashes in native code on the calling thread (microseconds per KiB)';

/** Sync file system calls with their async counterparts. */
function fsEntries(): Record<string, NodeApiEntry> {
  const entries: Record<string, NodeApiEntry> = {};
  const data = ['readFile', 'writeFile', 'appendFile', 'copyFile', 'cp', 'read', 'write', 'readv', 'writev', 'truncate', 'ftruncate'];
  const metadata = ['stat', 'lstat', 'fstat', 'access', 'exists', 'mkdir', 'mkdtemp', 'rmdir', 'rm', 'unlink', 'rename', 'readdir', 'opendir', 'open', 'close', 'chmod', 'chown', 'utimes', 'futimes', 'symlink', 'readlink', 'realpath', 'link', 'lchown', 'lutimes', 'statfs'];
  const flushes = ['fsync', 'fdatasync'];
  for (const name of data) {
    entries[`fs.${name}Sync`] = local(syncWait(SYNC_FS, `fs/promises.${name === 'read' || name === 'write' ? 'FileHandle' : name}`));
    entries[`fs.${name}`] = poolWait(local(asyncWait(FS_CALLBACK)));
    entries[`fs/promises.${name}`] = poolWait(local(asyncWait(FS_ASYNC)));
  }
  for (const name of metadata) {
    entries[`fs.${name}Sync`] = local(syncWait(SYNC_META, name === 'exists' ? 'fs/promises.access' : `fs/promises.${name}`, METADATA_SECONDS));
    entries[`fs.${name}`] = poolWait(local(asyncWait(FS_CALLBACK, undefined, METADATA_SECONDS)));
    entries[`fs/promises.${name}`] = poolWait(local(asyncWait(FS_ASYNC, name === 'open' ? 'fs/promises.FileHandle' : undefined, METADATA_SECONDS)));
  }
  for (const name of flushes) {
    entries[`fs.${name}Sync`] = syncWait('waits until the disk has the data: the event loop stops meanwhile', `fs/promises.FileHandle.sync`, FLUSH_SECONDS);
    entries[`fs.${name}`] = poolWait(asyncWait(FS_CALLBACK, undefined, FLUSH_SECONDS));
  }
  entries['fs/promises.FileHandle.*'] = poolWait(local(asyncWait(FS_ASYNC)));
  entries['fs/promises.FileHandle.sync'] = poolWait(asyncWait('waits until the disk has the data, off the event loop', undefined, FLUSH_SECONDS));
  entries['fs.createReadStream'] = poolWait(local(asyncWait('a file stream: reads in the libuv thread pool as the stream is consumed', 'stream.Readable')));
  entries['fs.createWriteStream'] = poolWait(local(asyncWait('a file stream: writes in the libuv thread pool', 'stream.Writable')));
  entries['fs.watch'] = asyncWait('watches for changes: events arrive on the event loop');
  return entries;
}

const deflateDefault = perByte('node.zlib_deflate_byte');
const deflateBest = perByte('node.zlib_deflate_best_byte');
/** Deflate (and gzip) at the level the code states, 6 when it states none: levels 8 and 9 cost 1.5-4.6x level 6 on records (measured). */
const deflateSeconds: NodeCostFunction = (sizes, constants) => ((sizes.level ?? 6) >= DEFLATE_BEST_LEVEL ? deflateBest : deflateDefault)(sizes, constants);

/** Brotli's compression at the quality the code states, 11 (its default) when it states none. */
const brotliSeconds: NodeCostFunction = (sizes, constants) =>
  perByte('node.zlib_deflate_byte', BROTLI_PER_DEFLATE * (BROTLI_QUALITY_SHARE[Math.max(0, Math.min(11, sizes.level ?? 11))] ?? 1))(sizes, constants);

/** zlib: each codec's sync form (CPU on this thread), callback form (thread pool) and stream factory. */
function zlibEntries(): Record<string, NodeApiEntry> {
  const entries: Record<string, NodeApiEntry> = {};
  const codecs = ['gzip', 'gunzip', 'deflate', 'inflate', 'deflateRaw', 'inflateRaw', 'unzip', 'brotliCompress', 'brotliDecompress'];
  for (const codec of codecs) {
    const compress = !/^(gunzip|inflate|inflateRaw|unzip|brotliDecompress)$/.test(codec);
    const brotli = codec.startsWith('brotli');
    const seconds = compress ? (brotli ? brotliSeconds : deflateSeconds) : perByte('node.zlib_deflate_byte', DECOMPRESS_PER_DEFLATE);
    entries[`zlib.${codec}Sync`] = heavy(ZLIB_SYNC.replace('compression', compress ? 'compression' : 'decompression'), seconds);
    entries[`zlib.${codec}`] = pooled(asyncWait(`${compress ? 'compresses' : 'decompresses'} in ${POOL_CRYPTO}`, undefined, seconds));
    const factory = `create${codec[0]?.toUpperCase()}${codec.slice(1)}`;
    const stream = `a ${compress ? 'compression' : 'decompression'} stream: its chunks are processed in ${POOL_CRYPTO}`;
    entries[`zlib.${factory}`] = { ...asyncWait(stream, 'stream.Transform'), streamed: pooled(asyncWait(`${stream}, priced by the bytes piped through it`, 'stream.Transform', streamedSeconds(seconds))) };
  }
  entries['zlib.crc32'] = cpu('computes a checksum in native code on the calling thread', perByte('node.hash_sha256_byte', 0.1, 1e-7));
  return entries;
}

/** A pipeline from a file the code sizes: its time is its stages', each priced on the bytes that pass through it. */
const PIPELINE_OF_SIZED_FILE = cheap('streams a file of known size through its stages: its time is theirs, priced on each');

const DATE_FIELDS = ['FullYear', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds'];
/** A date's methods that no other common API has (`episode.published.toUTCString()`: a date kept in an object's field). */
const DATE_ONLY_METHODS = ['toDateString', 'toTimeString', 'toUTCString', 'getTimezoneOffset', ...DATE_FIELDS.flatMap((field) => [`getUTC${field}`, `setUTC${field}`])];
/** A Buffer's accessors of one number (`photo.readUInt16BE(at)`, `readUint16BE` its alias): names no other common API uses. */
const BUFFER_NUMBER_ACCESSORS = ['Int8', 'UInt8', 'Int16BE', 'Int16LE', 'UInt16BE', 'UInt16LE', 'Int32BE', 'Int32LE', 'UInt32BE', 'UInt32LE', 'FloatBE', 'FloatLE', 'DoubleBE', 'DoubleLE', 'BigInt64BE', 'BigInt64LE', 'BigUInt64BE', 'BigUInt64LE', 'IntBE', 'IntLE', 'UIntBE', 'UIntLE']
  .flatMap((type) => [type, type.replace('UInt', 'Uint')])
  .flatMap((type) => [`read${type}`, `write${type}`]);

export const NODE_APIS: Readonly<Record<string, NodeApiEntry>> = {
  ...fsEntries(),
  ...zlibEntries(),
  'fs.promises.*': asyncWait(FS_ASYNC),

  // ---- child processes
  'child_process.execSync': syncWait(SYNC_CHILD, 'child_process.exec (promisified) or spawn', CHILD_RUN),
  'child_process.execFileSync': syncWait(SYNC_CHILD, 'child_process.execFile (promisified) or spawn', CHILD_RUN),
  'child_process.spawnSync': syncWait(SYNC_CHILD, 'child_process.spawn', CHILD_RUN),
  'child_process.exec': asyncWait(CHILD, 'child_process.ChildProcess', CHILD_RUN),
  'child_process.execFile': asyncWait(CHILD, 'child_process.ChildProcess', CHILD_RUN),
  'child_process.spawn': asyncWait(CHILD, 'child_process.ChildProcess', CHILD_RUN),
  'child_process.fork': asyncWait('starts a Node child process (its own memory and event loop): isolation, at the cost of start-up and messaging', 'child_process.ChildProcess', (_, constants) => ({ seconds: constants['node.child_process_start'] })),
  'child_process.ChildProcess.on': asyncWait('waits for the child process (it runs on its own)'),
  'child_process.ChildProcess.once': asyncWait('waits for the child process (it runs on its own)'),
  'child_process.ChildProcess.*': cheap('talks to a child process'),
  'Atomics.wait': syncWait('sleeps the calling thread: on the main thread the event loop stops', 'timers/promises.setTimeout', timer(3)),

  // ---- timers
  setTimeout: asyncWait(TIMER, undefined, timer(1)),
  setInterval: asyncWait(TIMER, undefined, timer(1)),
  setImmediate: cheap('schedules a callback on the event loop'),
  queueMicrotask: cheap('schedules a microtask'),
  clearTimeout: cheap('cancels a timer'),
  clearInterval: cheap('cancels a timer'),
  'timers/promises.setTimeout': asyncWait(TIMER, undefined, timer(0)),
  'timers/promises.setInterval': asyncWait(TIMER, undefined, timer(0)),
  'timers/promises.setImmediate': cheap('yields to the event loop once'),
  'timers/promises.scheduler.wait': asyncWait(TIMER, undefined, timer(0)),
  'timers.setTimeout': asyncWait(TIMER, undefined, timer(1)),
  'timers.setInterval': asyncWait(TIMER, undefined, timer(1)),
  'process.nextTick': cheap('schedules a callback before the next event loop turn'),

  // ---- HTTP and the network
  fetch: asyncWait(HTTP, 'Response', ROUND_TRIP_SECONDS),
  'Response.json': asyncWait('reads the response body and parses it', undefined),
  'Response.text': asyncWait('reads the response body'),
  'Response.arrayBuffer': asyncWait('reads the response body'),
  'Response.blob': asyncWait('reads the response body'),
  'Response.*': cheap('reads a response field'),
  'http.request': asyncWait(HTTP, 'http.ClientRequest', ROUND_TRIP_SECONDS),
  'http.get': asyncWait(HTTP, 'http.ClientRequest', ROUND_TRIP_SECONDS),
  'https.request': asyncWait(HTTP, 'http.ClientRequest', ROUND_TRIP_SECONDS),
  'https.get': asyncWait(HTTP, 'http.ClientRequest', ROUND_TRIP_SECONDS),
  'http.ClientRequest.*': cheap('writes to a request'),
  'http.createServer': cheap('creates a server (its handler runs per request)', 'http.Server'),
  'https.createServer': cheap('creates a server (its handler runs per request)', 'http.Server'),
  'http2.createServer': cheap('creates a server (its handler runs per request)', 'http.Server'),
  'http2.createSecureServer': cheap('creates a server (its handler runs per request)', 'http.Server'),
  'http2.connect': asyncWait(NETWORK, undefined, ROUND_TRIP_SECONDS),
  'http.Server.*': cheap('configures a server'),
  'net.connect': asyncWait(NETWORK, 'net.Socket', ROUND_TRIP_SECONDS),
  'net.createConnection': asyncWait(NETWORK, 'net.Socket', ROUND_TRIP_SECONDS),
  'net.createServer': cheap('creates a server (its handler runs per connection)', 'http.Server'),
  'net.Socket.*': asyncWait(NETWORK, undefined, (_, constants) => ({ seconds: constants['node.socket_roundtrip'] })),
  'tls.connect': asyncWait(NETWORK, 'net.Socket', ROUND_TRIP_SECONDS),
  'dgram.createSocket': cheap('creates a UDP socket', 'net.Socket'),
  'dns.lookup': asyncWait('resolves a host name (getaddrinfo in libuv\'s thread pool)', undefined, ROUND_TRIP_SECONDS),
  'dns.resolve': asyncWait('a DNS query: waits on the network', undefined, ROUND_TRIP_SECONDS),
  'dns/promises.*': asyncWait('a DNS query: waits on the network', undefined, ROUND_TRIP_SECONDS),
  'dns.*': asyncWait('a DNS query: waits on the network', undefined, ROUND_TRIP_SECONDS),
  'events.once': asyncWait('waits for an event'),
  'events.on': asyncWait('waits for events'),
  'stream/promises.pipeline': { ...asyncWait('streams data through: each chunk is I/O or work on the event loop'), streamed: PIPELINE_OF_SIZED_FILE },
  'stream/promises.finished': asyncWait('waits for a stream to end'),
  'stream.pipeline': { ...asyncWait('streams data through: each chunk is I/O or work on the event loop'), streamed: PIPELINE_OF_SIZED_FILE },
  'stream.Readable.*': asyncWait('reads a stream'),
  'stream.Writable.*': asyncWait('writes a stream'),
  'stream.Transform.*': asyncWait('a stream stage'),
  'readline.createInterface': cheap('reads lines from a stream as they arrive', 'stream.Readable'),

  // ---- crypto
  'crypto.pbkdf2Sync': heavy(KDF_SYNC, KDF_SECONDS),
  'crypto.scryptSync': heavy(KDF_SYNC, KDF_SECONDS),
  'crypto.hkdfSync': cpu('derives a key in native code on the calling thread'),
  'crypto.generateKeyPairSync': heavy('generates a key pair in native code on the calling thread: it blocks the event loop (RSA keys take tens of milliseconds)', KDF_SECONDS),
  'crypto.generatePrimeSync': heavy('searches for a prime in native code on the calling thread: it blocks the event loop', KDF_SECONDS),
  'crypto.randomBytes': { ...cpu('random bytes in native code on the calling thread, in fresh memory', freshBytes('node.random_byte')), withCallback: pooled(asyncWait(`random bytes in ${POOL_CRYPTO}`, undefined, freshBytes('node.random_byte'))) },
  'crypto.randomUUID': cheap('a random UUID'),
  'crypto.randomInt': cheap('a random integer'),
  'crypto.pbkdf2': pooled(asyncWait(`derives a key in ${POOL_CRYPTO}`, undefined, KDF_SECONDS)),
  'crypto.scrypt': pooled(asyncWait(`derives a key in ${POOL_CRYPTO}`, undefined, KDF_SECONDS)),
  'crypto.hkdf': pooled(asyncWait(`derives a key in ${POOL_CRYPTO}`)),
  'crypto.generateKeyPair': pooled(asyncWait(`generates a key pair in ${POOL_CRYPTO}`, undefined, KDF_SECONDS)),
  'crypto.generatePrime': pooled(asyncWait(`searches for a prime in ${POOL_CRYPTO}`, undefined, KDF_SECONDS)),
  'crypto.subtle.*': pooled(asyncWait(`Web Crypto: runs in ${POOL_CRYPTO}`)),
  'crypto.webcrypto.subtle.*': pooled(asyncWait(`Web Crypto: runs in ${POOL_CRYPTO}`)),
  'crypto.createHash': { ...cheap('creates a hash object', 'crypto.Hash'), streamed: cpu(`${HASHING}, as a stream stage on the bytes piped through it`, streamedSeconds(hashSeconds), 'crypto.Hash') },
  'crypto.createHmac': { ...cheap('creates an HMAC object', 'crypto.Hash'), streamed: cpu(`${HASHING}, as a stream stage on the bytes piped through it`, streamedSeconds(hashSeconds), 'crypto.Hash') },
  'crypto.hash': cpu(HASHING, hashSeconds),
  'crypto.Hash.update': cpu(HASHING, hashSeconds, 'crypto.Hash'),
  'crypto.Hash.digest': cheap('finishes a digest'),
  'crypto.Hash.*': cheap('hash bookkeeping'),
  'crypto.createCipheriv': { ...cheap('creates a cipher', 'crypto.Cipher'), streamed: cpu('encrypts in native code on the calling thread, as a stream stage on the bytes piped through it', streamedSeconds(cipherSeconds), 'crypto.Cipher') },
  'crypto.createDecipheriv': { ...cheap('creates a decipher', 'crypto.Cipher'), streamed: cpu('decrypts in native code on the calling thread, as a stream stage on the bytes piped through it', streamedSeconds(cipherSeconds), 'crypto.Cipher') },
  'crypto.Cipher.update': cpu('encrypts in native code on the calling thread', cipherSeconds),
  'crypto.Cipher.*': cheap('cipher bookkeeping'),
  'crypto.createSign': cheap('creates a signer', 'crypto.Sign'),
  'crypto.createVerify': cheap('creates a verifier', 'crypto.Sign'),
  'crypto.Sign.sign': cpu(SIGNS, SIGN_SECONDS),
  'crypto.Sign.verify': cpu(VERIFIES, VERIFY_SECONDS),
  // `createSign(alg).update(text).sign(key)`: update gives its signer back, as a hash's does.
  'crypto.Sign.update': cheap('adds data to sign', 'crypto.Sign'),
  'crypto.Sign.*': cheap('signature bookkeeping'),
  'crypto.sign': { ...cpu(SIGNS, SIGN_SECONDS), withCallback: pooled(asyncWait(`signs in ${POOL_CRYPTO}`, undefined, SIGN_SECONDS)) },
  'crypto.verify': { ...cpu(VERIFIES, VERIFY_SECONDS), withCallback: pooled(asyncWait(`verifies a signature in ${POOL_CRYPTO}`, undefined, VERIFY_SECONDS)) },
  'crypto.timingSafeEqual': cheap('compares two buffers'),

  // ---- worker threads (the worker runs elsewhere: creating one and messaging it are cheap here)
  'worker_threads.Worker': cheap('starts a worker thread (its own V8 isolate and event loop: tens of milliseconds)', 'worker_threads.Worker'),
  'worker_threads.Worker.postMessage': cheap('posts a message to the worker (structured clone)'),
  'worker_threads.Worker.terminate': asyncWait('waits for the worker to stop'),
  'worker_threads.Worker.on': asyncWait('waits for the worker thread\'s messages (its work runs on another thread)'),
  'worker_threads.Worker.once': asyncWait('waits for the worker thread\'s message (its work runs on another thread)'),
  'worker_threads.Worker.*': cheap('talks to a worker thread'),
  'worker_threads.parentPort.postMessage': cheap('posts a message to the parent thread'),
  'worker_threads.parentPort.*': cheap('talks to the parent thread'),
  'worker_threads.MessageChannel': cheap('creates a message channel'),
  'worker_threads.receiveMessageOnPort': cheap('reads a message if one is waiting'),
  'piscina.Piscina': cheap('creates a worker thread pool', 'piscina.Piscina'),
  piscina: cheap('creates a worker thread pool', 'piscina.Piscina'),
  'piscina.Piscina.run': asyncWait('hands a task to a worker thread pool and waits for the result'),
  'piscina.Piscina.*': cheap('pool bookkeeping'),
  'workerpool.pool': cheap('creates a worker pool', 'workerpool.Pool'),
  'workerpool.Pool.exec': asyncWait('hands a task to a worker pool and waits for the result'),
  'workerpool.Pool.*': cheap('pool bookkeeping'),
  'cluster.fork': asyncWait('starts a worker process (cluster)', undefined, (_, constants) => ({ seconds: constants['node.child_process_start'] })),

  // ---- data
  'JSON.parse': cpu('parses JSON on the calling thread (milliseconds per MB)', jsonParseSeconds),
  'JSON.stringify': cpu('serializes to JSON on the calling thread (milliseconds per MB)', perByte('node.json_stringify_byte', 1, 2.3e-6)),
  structuredClone: cpu('deep-copies a value on the calling thread', perByte('node.structured_clone_byte', 1, 1e-6)),
  'v8.serialize': cpu('serializes a value on the calling thread'),
  'v8.deserialize': cpu('deserializes a value on the calling thread'),
  'Intl.DateTimeFormat': cheap('creates a date formatter', 'Intl.DateTimeFormat'),
  'Intl.DateTimeFormat.*': cpu(INTL_FORMAT, INTL_FORMAT_SECONDS),
  'Intl.NumberFormat': cheap('creates a number formatter', 'Intl.NumberFormat'),
  'Intl.NumberFormat.*': cpu(INTL_FORMAT, INTL_FORMAT_SECONDS),
  'Buffer.compare': cheap('compares two buffers'),
  'Buffer.concat': cheap('copies buffers into one'),
  'Buffer.from': cheap('makes a buffer'),
  'Buffer.alloc': cpu('allocates a buffer and fills it (fresh memory)', freshBytes()),
  'Buffer.allocUnsafe': cheap('allocates a buffer'),
  ...typedArrays(),
  'Buffer.byteLength': cheap('measures a string'),
  'Buffer.isBuffer': cheap('a type check'),
  'Math.*': cheap('arithmetic'),
  'Object.*': cheap('reads or copies an object\'s own properties'),
  'Array.isArray': cheap('a type check'),
  'Array.of': cheap('makes an array'),
  'Number.*': cheap('converts a number'),
  'Number.parseFloat': NUMBER_PARSE,
  'Number.parseInt': NUMBER_PARSE,
  'String.*': cheap('converts a string'),
  'Date.now': cheap('reads the clock'),
  'Date.parse': DATE_PARSE,
  'Date.UTC': cheap('computes a timestamp'),
  'performance.now': cheap('reads the clock'),
  'perf_hooks.performance.now': cheap('reads the clock'),
  'process.hrtime': cheap('reads the clock'),
  'process.hrtime.bigint': cheap('reads the clock'),
  'process.cpuUsage': cheap('reads the CPU time'),
  'process.memoryUsage': cheap('reads the memory use'),
  'process.cwd': cheap('reads the working folder'),
  'process.exit': cheap('ends the process'),
  'process.on': cheap('registers a handler'),
  'process.emitWarning': cheap('prints a warning'),
  'process.stdout.write': cheap('writes to stdout'),
  'process.stderr.write': cheap('writes to stderr'),
  'console.*': cheap('writes a line to the console'),
  'Promise.resolve': cheap('wraps a value in a promise'),
  'Promise.reject': cheap('a rejected promise'),
  // The waits are the promises': counted where each one starts.
  'Promise.all': asyncWait('waits for all the promises it is given (they run concurrently)', undefined, 0),
  'Promise.allSettled': asyncWait('waits for all the promises it is given (they run concurrently)', undefined, 0),
  'Promise.race': asyncWait('waits for the first of the promises it is given', undefined, 0),
  'Promise.any': asyncWait('waits for the first of the promises it is given', undefined, 0),
  Promise: cheap('creates a promise'),
  Error: cheap('creates an error'),
  TypeError: cheap('creates an error'),
  RangeError: cheap('creates an error'),
  Map: cheap('creates a map'),
  Set: cheap('creates a set'),
  WeakMap: cheap('creates a map'),
  Date: { ...cheap('creates a date', 'Date'), ofText: DATE_PARSE },
  // A date's own fields and fixed formats; toLocale*String() (a formatter made per call, in ICU) is left unknown.
  ...Object.fromEntries(
    ['getTime', 'valueOf', 'toISOString', 'toJSON', 'toString', ...DATE_FIELDS.flatMap((field) => [`get${field}`, `set${field}`]), ...DATE_ONLY_METHODS]
      .map((method) => [`Date.${method}`, cheap('reads or sets a date\'s fields')]),
  ),
  RegExp: cheap('compiles a regular expression'),
  URL: cheap('parses a URL'),
  URLSearchParams: cheap('parses a query string'),
  TextEncoder: cheap('creates an encoder'),
  TextDecoder: cheap('creates a decoder'),
  DataView: cheap('creates a view of a buffer'),
  AbortController: cheap('creates an abort controller'),
  Number: cheap('converts a value to a number'),
  String: cheap('converts a value to a string'),
  Boolean: cheap('converts a value to a boolean'),
  BigInt: cheap('converts a value to a BigInt'),
  Symbol: cheap('creates a symbol'),
  parseInt: NUMBER_PARSE,
  parseFloat: NUMBER_PARSE,
  isNaN: cheap('a number check'),
  encodeURIComponent: cheap('encodes a URL component'),
  decodeURIComponent: cheap('decodes a URL component'),
  atob: cheap('decodes base64'),
  btoa: cheap('encodes base64'),
  require: cheap('loads a module (cached after the first call)'),
  'path.*': cheap('string work on a path'),
  'url.*': cheap('string work on a URL'),
  'querystring.*': cheap('parses a query string'),
  'util.format': cheap('formats a string'),
  'util.inspect': cheap('formats a value'),
  'util.promisify': cheap('wraps a callback API in a promise'),
  'util.*': cheap('a utility call'),
  'os.*': cheap('reads a system property'),
  'assert.*': cheap('checks a condition'),
  'events.EventEmitter': cheap('creates an event emitter', 'events.EventEmitter'),
  'events.EventEmitter.*': cheap('emits or registers events'),

  // ---- npm packages: HTTP clients
  'axios.*': asyncWait(HTTP, undefined, ROUND_TRIP_SECONDS),
  axios: asyncWait(HTTP, undefined, ROUND_TRIP_SECONDS),
  'axios.create': cheap('creates an HTTP client', 'axios'),
  'node-fetch': asyncWait(HTTP, 'Response', ROUND_TRIP_SECONDS),
  'node-fetch.default': asyncWait(HTTP, 'Response', ROUND_TRIP_SECONDS),
  'got.*': asyncWait(HTTP, undefined, ROUND_TRIP_SECONDS),
  got: asyncWait(HTTP, undefined, ROUND_TRIP_SECONDS),
  'undici.request': asyncWait(HTTP, undefined, ROUND_TRIP_SECONDS),
  'undici.fetch': asyncWait(HTTP, 'Response', ROUND_TRIP_SECONDS),
  'superagent.*': asyncWait(HTTP, undefined, ROUND_TRIP_SECONDS),
  // ---- databases
  'pg.Pool': cheap('creates a connection pool', 'pg.Pool'),
  'pg.Client': cheap('creates a client', 'pg.Pool'),
  'pg.Pool.query': asyncWait(DB, undefined, ROUND_TRIP_SECONDS),
  'pg.Pool.connect': asyncWait(DB, 'pg.Pool', ROUND_TRIP_SECONDS),
  'pg.Pool.*': asyncWait(DB),
  'mysql2/promise.createPool': cheap('creates a connection pool', 'mysql.Pool'),
  'mysql2/promise.createConnection': asyncWait(DB, 'mysql.Pool', ROUND_TRIP_SECONDS),
  'mysql2.createPool': cheap('creates a connection pool', 'mysql.Pool'),
  'mysql2.createConnection': cheap('creates a connection', 'mysql.Pool'),
  'mysql.createPool': cheap('creates a connection pool', 'mysql.Pool'),
  'mysql.createConnection': cheap('creates a connection', 'mysql.Pool'),
  'mysql.Pool.*': asyncWait(DB, undefined, ROUND_TRIP_SECONDS),
  'mongodb.MongoClient': cheap('creates a client', 'mongodb.MongoClient'),
  'mongodb.MongoClient.*': asyncWait(DB, undefined, ROUND_TRIP_SECONDS),
  'mongodb.MongoClient.db': cheap('selects a database', 'mongodb.Db'),
  'mongodb.Db.collection': cheap('selects a collection', 'mongodb.Collection'),
  'mongodb.Db.*': asyncWait(DB, undefined, ROUND_TRIP_SECONDS),
  'mongodb.Collection.*': asyncWait(DB, undefined, ROUND_TRIP_SECONDS),
  'redis.createClient': cheap('creates a client', 'redis.Client'),
  'redis.Client.*': asyncWait(DB, undefined, ROUND_TRIP_SECONDS),
  ioredis: cheap('creates a client', 'redis.Client'),
  'ioredis.default': cheap('creates a client', 'redis.Client'),
  'better-sqlite3': syncWait('opens a SQLite database synchronously', 'an async driver, or a worker thread', METADATA_SECONDS, 'better-sqlite3.Database'),
  'better-sqlite3.Database.prepare': cheap('compiles a statement', 'better-sqlite3.Statement'),
  'better-sqlite3.Database.*': syncWait('runs SQL synchronously on the calling thread: the event loop stops until SQLite is done', 'an async driver, or a worker thread'),
  'better-sqlite3.Statement.*': syncWait('runs SQL synchronously on the calling thread: the event loop stops until SQLite is done', 'an async driver, or a worker thread'),
  '@aws-sdk/*': asyncWait('a cloud API call: waits on the network without blocking the event loop', undefined, ROUND_TRIP_SECONDS),
  // ---- CPU-heavy packages
  'bcrypt.hashSync': heavy('hashes a password on the calling thread (deliberately slow): it blocks the event loop', KDF_SECONDS),
  'bcrypt.compareSync': heavy('checks a password on the calling thread (deliberately slow): it blocks the event loop', KDF_SECONDS),
  'bcrypt.hash': pooled(asyncWait(`hashes a password in ${POOL_CRYPTO}`, undefined, KDF_SECONDS)),
  'bcrypt.compare': asyncWait(`checks a password in ${POOL_CRYPTO}`, undefined, KDF_SECONDS),
  'bcryptjs.hashSync': heavy('hashes a password in JavaScript on the calling thread (deliberately slow): it blocks the event loop', KDF_SECONDS),
  'bcryptjs.compareSync': heavy('checks a password in JavaScript on the calling thread (deliberately slow): it blocks the event loop', KDF_SECONDS),
  'bcryptjs.hash': cpu('hashes a password in JavaScript on the event loop thread (in slices, still CPU on this thread)', KDF_SECONDS),
  'sharp.*': asyncWait(`image processing in ${POOL_CRYPTO}`),
  sharp: cheap('creates an image pipeline', 'sharp'),
  'lodash.*': cheap('a utility call'),
};

/** Modules an import can name with another spelling. */
const MODULE_ALIASES: Readonly<Record<string, string>> = {
  'fs.promises': 'fs/promises',
  'dns.promises': 'dns/promises',
  'stream.promises': 'stream/promises',
  'readline.promises': 'readline/promises',
  'crypto.webcrypto.subtle': 'crypto.subtle',
  'perf_hooks.performance': 'performance',
  'mysql2/promise': 'mysql2/promise',
  'timers.promises': 'timers/promises',
};

const ALIASED = /^node:|promises|webcrypto|perf_hooks/;

/** `node:fs` -> `fs`; `fs.promises.readFile` -> `fs/promises.readFile`. */
export function canonicalApiName(name: string): string {
  if (!ALIASED.test(name)) return name;
  let canonical = name.startsWith('node:') ? name.slice(5) : name;
  for (const [alias, target] of Object.entries(MODULE_ALIASES)) {
    if (canonical === alias || canonical.startsWith(`${alias}.`)) {
      canonical = target + canonical.slice(alias.length);
      break;
    }
  }
  return canonical;
}

const lookups = new Map<string, NodeApiEntry | null>();

/** The entry for a qualified name, or for the closest `prefix.*` above it (`@scope/*` covers a scope). */
export function lookupNodeApi(name: string): NodeApiEntry | undefined {
  let found = lookups.get(name);
  if (found === undefined) {
    found = findNodeApi(name) ?? null;
    if (lookups.size > 50_000) lookups.clear();
    lookups.set(name, found);
  }
  return found ?? undefined;
}

function findNodeApi(name: string): NodeApiEntry | undefined {
  const canonical = canonicalApiName(name);
  const exact = own(NODE_APIS, canonical);
  if (exact) return exact;
  let dot = canonical.lastIndexOf('.');
  while (dot > 0) {
    const wildcard = own(NODE_APIS, `${canonical.slice(0, dot)}.*`);
    if (wildcard) return wildcard;
    dot = canonical.lastIndexOf('.', dot - 1);
  }
  const scope = /^(@[^/]+)\//.exec(canonical)?.[1];
  return scope ? own(NODE_APIS, `${scope}/*`) : undefined;
}

/** Globals the analyzer resolves without an import (their members are looked up as `Name.member`). */
export const NODE_GLOBALS: ReadonlySet<string> = new Set([
  'fetch', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'clearTimeout', 'clearInterval', 'structuredClone',
  'JSON', 'Math', 'Object', 'Array', 'Number', 'String', 'Boolean', 'BigInt', 'Symbol', 'Date', 'Promise', 'Buffer', 'Atomics',
  'console', 'process', 'performance', 'Error', 'TypeError', 'RangeError', 'Map', 'Set', 'WeakMap', 'RegExp', 'URL',
  'URLSearchParams', 'TextEncoder', 'TextDecoder', 'DataView', 'AbortController', 'parseInt', 'parseFloat', 'isNaN',
  'encodeURIComponent', 'decodeURIComponent', 'atob', 'btoa', 'require', 'crypto', 'Intl', ...Object.keys(TYPED_ARRAYS),
]);

/**
 * Methods that call their callback once per element (arrays, typed arrays, and the same names on
 * lodash-like helpers): a call with a callback is a loop. `sort` compares pairs: n·log n callbacks.
 */
export const ITERATING_METHODS: ReadonlySet<string> = new Set([
  'map', 'forEach', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'flatMap', 'sort', 'toSorted', 'from',
]);

/**
 * Methods on any value that do a pass over it (strings, arrays) without a callback: cheap, yet loops over data. With them,
 * a date's and a buffer's own methods, known by name where the value's type is not.
 */
export const SCANNING_METHODS: ReadonlySet<string> = new Set([
  'sort', 'toSorted', 'reverse', 'join', 'split', 'replace', 'replaceAll', 'match', 'matchAll', 'indexOf', 'includes',
  'slice', 'concat', 'trim', 'toLowerCase', 'toUpperCase', 'padStart', 'padEnd', 'repeat', 'fill', 'keys', 'values',
  'entries', 'push', 'pop', 'shift', 'unshift', 'splice', 'get', 'set', 'has', 'add', 'delete', 'test', 'exec',
  'toString', 'toFixed', 'charCodeAt', 'codePointAt', 'startsWith', 'endsWith', 'at', 'flat', 'search', 'localeCompare',
  'normalize', 'substring', 'substr', 'charAt', 'lastIndexOf', 'toISOString', 'getTime', 'valueOf', 'subarray', 'equals',
  'copy', 'clear', 'bind', 'call', 'apply', ...DATE_ONLY_METHODS, ...BUFFER_NUMBER_ACCESSORS,
]);

/**
 * Methods of a text or a number that parse or format it, whatever the receiver's type is known to be: priced per call at the
 * calibration's short texts (a CSV row, a word, a decimal), which loops over rows call by the thousand (string_parse_study.mjs).
 */
export const TEXT_METHODS: Readonly<Record<string, NodeApiEntry>> = {
  split: cpu('splits a text into parts on the calling thread (a row of fields: a few hundred nanoseconds a call)', perCallOf('node.string_split')),
  toFixed: cpu('formats a number as text on the calling thread (~0.1 µs a call)', perCallOf('node.number_format')),
  replace: cpu('replaces in a text on the calling thread (~0.2 µs a call on a short text)', perCallOf('node.regex_replace')),
  replaceAll: cpu('replaces in a text on the calling thread (~0.2 µs a call on a short text)', perCallOf('node.regex_replace')),
};

/** Methods of an HTTP response (`res.json(data)`, `res.end()`): they queue bytes for the socket. */
export const RESPONSE_METHODS: ReadonlySet<string> = new Set([
  'send', 'end', 'json', 'status', 'writeHead', 'setHeader', 'header', 'type', 'redirect', 'sendStatus', 'write', 'cookie',
]);

/**
 * Methods that run their callback later, once (promise reactions, timers, one-shot events): the
 * callback's work is the caller's, once.
 */
export const ONCE_CALLBACK_METHODS: ReadonlySet<string> = new Set(['then', 'catch', 'finally']);

/**
 * A synchronous read of a file the module makes once, when it is missing (a function that returns it, `makesFile`):
 * the file was written by this process or an earlier one on this machine, so the read is a copy from the page cache
 * on the calling thread, as large as the file, not a short wait on the disk.
 */
export const MADE_FILE_READ: NodeApiEntry = heavy('reads a file the module makes once: from the page cache, a copy (and decode) on the calling thread as large as the file', FILE_IO_SECONDS);
/** Sync reads that `MADE_FILE_READ` prices when their file is one the module makes. */
export const WHOLE_FILE_READS: ReadonlySet<string> = new Set(['fs.readFileSync']);

/** Methods recognized by name when the receiver's type is unknown: what they usually do. */
export const DUCK_METHODS: Readonly<Record<string, NodeApiEntry>> = {
  query: asyncWait('`.query()`: usually a database client call (waits on the server without blocking the event loop)', undefined, ROUND_TRIP_SECONDS),
  execute: asyncWait('`.execute()`: usually a database client call', undefined, ROUND_TRIP_SECONDS),
  findOne: asyncWait('`.findOne()`: usually a database call', undefined, ROUND_TRIP_SECONDS),
  findMany: asyncWait('`.findMany()`: usually a database call', undefined, ROUND_TRIP_SECONDS),
  insertOne: asyncWait('`.insertOne()`: usually a database call', undefined, ROUND_TRIP_SECONDS),
  updateOne: asyncWait('`.updateOne()`: usually a database call', undefined, ROUND_TRIP_SECONDS),
  json: asyncWait('`.json()`: usually reads an HTTP response body'),
  text: asyncWait('`.text()`: usually reads an HTTP response body'),
  arrayBuffer: asyncWait('`.arrayBuffer()`: usually reads an HTTP response body'),
  // Only Intl's formatters have it (DateTimeFormat, NumberFormat, RelativeTimeFormat, ListFormat).
  formatToParts: cpu(INTL_FORMAT, INTL_FORMAT_SECONDS),
  readFileSync: local(syncWait(SYNC_FS, 'fs/promises.readFile')),
  writeFileSync: local(syncWait(SYNC_FS, 'fs/promises.writeFile')),
  // A DataView's accessors (`view.getUint32(16)`): names no other common API uses.
  ...Object.fromEntries(
    ['Int8', 'Uint8', 'Int16', 'Uint16', 'Int32', 'Uint32', 'Float32', 'Float64', 'BigInt64', 'BigUint64'].flatMap((type) =>
      ['get', 'set'].map((verb) => [`${verb}${type}`, cheap(`\`.${verb}${type}()\`: reads or writes one number of a buffer (a DataView)`)]),
    ),
  ),
};

/**
 * `process` operations a worker thread cannot do (ERR_WORKER_UNSUPPORTED_OPERATION): CPU work that
 * calls them needs a child process for isolation.
 */
export const MAIN_THREAD_ONLY: ReadonlySet<string> = new Set([
  'process.chdir', 'process.setuid', 'process.setgid', 'process.seteuid', 'process.setegid', 'process.setgroups',
  'process.initgroups', 'process.umask',
]);

/** Constructors of a worker thread, by qualified name. */
export const WORKER_CONSTRUCTORS: ReadonlySet<string> = new Set(['worker_threads.Worker']);
/** Constructors of worker pools (a pool created per task is the same mistake as a worker per task). */
export const WORKER_POOLS: ReadonlySet<string> = new Set(['piscina.Piscina', 'piscina', 'workerpool.pool']);

/** Servers whose callback argument runs once per request. */
export const SERVER_FACTORIES: ReadonlySet<string> = new Set([
  'http.createServer', 'https.createServer', 'http2.createServer', 'http2.createSecureServer',
]);

/** Methods of express-style apps and routers that take route handlers. */
export const ROUTE_METHODS: ReadonlySet<string> = new Set([
  'get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'head', 'options', 'route',
]);
