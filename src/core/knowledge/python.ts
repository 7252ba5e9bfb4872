import type { Constants } from '../cost/calibration';
import type { CostPart } from '../cost/model';
import { ASSUMED_BUFFER, ASSUMED_ITEMS, UNKNOWN_WORK } from '../cost/priors';
import { formatCount } from '../cost/forecast';
import { own } from '../own';
import { patternCost } from './patterns';
import { CHILD_RUN_SECONDS, CHILD_START_SECONDS, childRun } from './programs';
import type { CallFact } from '../python/facts';
import { ELEMENT_WISE_METHODS, itemsIn, matrixProduct, serializedBytesPerValue, valuesHeld, type Size } from '../python/sizes';

/**
 * What well-known Python APIs do to a thread: wait (and release the GIL), run native code that
 * releases the GIL, run C code that holds it, or cost next to nothing. Data, not logic: the analyzer
 * looks names up here before it reads any library source.
 *
 * Keys are fully qualified names. A key ending in `.*` covers every name below it that has no entry
 * of its own. Instance methods are keyed by the type: `requests.Session.get`, `io.TextIOWrapper.*`.
 */

export type ApiKind =
  /** Waits on the outside world (network, disk, a child process, a timer) with the GIL released. */
  | 'wait'
  /** An awaitable that waits without blocking the event loop. */
  | 'async-wait'
  /** CPU work in native code that releases the GIL: threads scale it. */
  | 'native'
  /** CPU work in C that holds the GIL: threads do not scale it. */
  | 'holds'
  /** Too little work per call to matter on its own (it still counts inside a loop). */
  | 'cheap';

export interface ApiEntry {
  kind: ApiKind;
  /** One line that evidence can cite. */
  why: string;
  /** Type of the value returned, so calls on it can be looked up (`open` -> `io.TextIOWrapper`). */
  returns?: string;
  /** How long one call takes next to others of its kind (default 1): a network round trip or a child
   *  process costs milliseconds, a stat() microseconds. */
  cost?: number;
  /** The work grows with the first argument, a buffer: on a literal it is microseconds. `hash`: hashlib,
   *  which releases the GIL only for buffers over 2 KiB, so hashing short text holds it. */
  scalesWithInput?: 'hash' | 'buffer';
  /** Seconds one call takes, from its first argument's size (undefined: the code does not tell);
   *  without it the kind's default (`defaultSeconds`) applies. */
  seconds?: CostFunction;
  /** An operator method (`__add__`) priced per operation whatever its operands' sizes: a scalar type whose operators are
   *  calls of its own (a Decimal's `+`), neither numpy's element-wise work nor the function's plain arithmetic. */
  perOperation?: true;
}

/** A call's likely seconds and where they go; `part` defaults to the kind's (holds: gil, native, wait). `receiver`:
 *  the size of the object a method is called on, when the code tells it (`img.save(...)` of `img = Image.new(...)`). */
export type CostFunction = (
  argument: Size | undefined,
  constants: Constants,
  receiver?: Size,
  call?: Pick<CallFact, 'keyFunction' | 'scalarArgs' | 'quality' | 'pattern' | 'rankWindow' | 'program' | 'rowWise' | 'insertsRows' | 'unitGiven'>,
  /** The sizes of the call's collection arguments (`CallFact.collectionArgs`), each undefined where the code does not tell it. */
  collections?: readonly (Size | undefined)[],
  /** The sizes of the call's positional arguments (`CallFact.positionalSizes`), each undefined where the code does not tell it. */
  positional?: readonly (Size | undefined)[],
) => {
  seconds: number;
  part?: CostPart;
  /** Of `seconds`, the call's own overhead, which holds the GIL whatever `part` its work is (numpy, pandas: Python and argument parsing around a kernel). */
  held?: number;
  /** Its native work already runs on every core (a multi-threaded BLAS): no pool gains on it (`Cost.allCores`). */
  allCores?: true;
  /** Its native work is in a library whose own threads fight when several threads of the process call it: threads run it one task at a time (`Cost.contended`). */
  contended?: true;
  /** Of `seconds`, CPU of the child process it waits for, on the machine's cores (`Cost.childCpu`). */
  childCpu?: number;
  /** Work held under the GIL that releases it this many times (a driver's step per row): each a hand-off threads queue for (`Cost.nativeCalls`). */
  lockReleases?: number;
  assumed?: string;
  assumedLoop?: true;
  /** What this call does, where its size makes it other than the entry's `why` says. */
  why?: string;
};

/** hashlib releases the GIL only while hashing a buffer of more than this many bytes. */
const HASH_GIL_THRESHOLD = 2048;

const bytesOf = (argument: Size | undefined): { bytes: number; assumed?: string } =>
  argument && argument.kind !== 'int' ? { bytes: argument.kind === 'array' ? argument.value * 8 : argument.value } : { bytes: ASSUMED_BUFFER, assumed: `a buffer of ~${ASSUMED_BUFFER / 1024} KiB assumed` };
const itemsOf = (argument: Size | undefined): { items: number; assumed?: string } =>
  argument && argument.kind !== 'int' ? { items: argument.value } : { items: ASSUMED_ITEMS, assumed: `~${ASSUMED_ITEMS} items assumed` };

/** A calibrated price a call, whatever the call is given. */
const perCall = (constant: keyof Constants): CostFunction => (_, constants) => ({ seconds: constants[constant] });
/** Per byte of the first argument, plus a fixed cost per call. */
const perByte = (constant: keyof Constants, callSeconds = 2e-7): CostFunction => (argument, constants) => {
  const { bytes, assumed } = bytesOf(argument);
  return { seconds: callSeconds + bytes * constants[constant], assumed };
};
/**
 * A serializer given Python values (`json.dumps(rows)`, `msgpack.packb(event)`, `pickle.dumps(batch)`): per byte it
 * writes, the format's bytes a value held (`serializedBytesPerValue`; the values counted down to the leaves when the code
 * tells them, else a collection's items times each item's); given a text or a buffer (`json.loads(text)`), per byte of it.
 */
const serializedSeconds = (constant: keyof Constants, perCall: number, format: 'text' | 'binary'): CostFunction => (argument, constants) =>
  argument?.kind === 'items'
    ? { seconds: perCall + valuesHeld(argument) * serializedBytesPerValue(format) * constants[constant] }
    : perByte(constant, perCall)(argument, constants);
/** hashlib: per byte, and the GIL is held for buffers up to 2 KiB. */
const hashSeconds: CostFunction = (argument, constants) => {
  const { bytes, assumed } = bytesOf(argument);
  return { seconds: constants['py.hash_small_call'] + bytes * constants['py.hash_sha256_byte'], part: bytes > HASH_GIL_THRESHOLD ? 'native' : 'gil', assumed };
};
/** zlib.crc32 and zlib.adler32 release the GIL only over a buffer of more than this many bytes (CPython's zlibmodule.c). */
const CHECKSUM_GIL_THRESHOLD = 5 * 1024;
/** A checksum: per byte, and the GIL is held for buffers up to 5 KiB (no hand-off: the call never releases it there). */
const checksumSeconds: CostFunction = (argument, constants) => ({
  ...perByte('py.crc32_byte')(argument, constants),
  part: bytesOf(argument).bytes > CHECKSUM_GIL_THRESHOLD ? 'native' : 'gil',
});
/**
 * A compressor releases the GIL only around its work on the buffer; its call's own overhead (parsing the
 * arguments, a frame header, the result object: ~1 µs) holds it. Many small buffers (lz4 over 256-byte blocks)
 * cost more in that overhead than in compression: GIL-bound work, as for hashlib. Unlike hashlib, lz4 and brotli
 * release the GIL at every call whatever its size (Py_BEGIN_ALLOW_THREADS around the codec, no threshold): on a small
 * buffer the release outlasts the work, and threads queue for the GIL, a hand-off a call (gil_handoff_study.py).
 */
const COMPRESS_CALL_SECONDS = 1e-6;
const compressSeconds = (constant: keyof Constants): CostFunction => (argument, constants) => {
  const { bytes, assumed } = bytesOf(argument);
  const work = bytes * constants[constant];
  const seconds = COMPRESS_CALL_SECONDS + work;
  return work > COMPRESS_CALL_SECONDS ? { seconds, part: 'native', assumed } : { seconds, part: 'gil', lockReleases: 1, assumed };
};
/**
 * cryptography's ciphers run in OpenSSL through cffi, which releases the GIL around every C call, and in Python that
 * holds it between them: an AEAD's encrypt or decrypt makes 10 such calls (a cipher context made, keyed, fed and
 * finished), Fernet's 16 (AES-CBC, then HMAC-SHA256), in cryptography 38 (openssl_calls_study.py). On short data each
 * release outlasts its work: threads queue for the GIL at every one (gil_handoff_study.py, idle: AESGCM.encrypt of 100 B
 * 6.2x slower in two threads than in one, Fernet.encrypt 4.9x).
 */
const AEAD_OPENSSL_CALLS = 10;
const FERNET_OPENSSL_CALLS = 16;
/** An AEAD call's own Python, around its OpenSSL calls (13-23 µs measured for 100 B, at a load of 5-7); `py.aead_byte` its encryption's. */
const AEAD_CALL_SECONDS = 2e-5;
/** An AEAD's methods given (nonce, data, associated_data): the extractor sizes their positional arguments, the work being over the second. */
export const AEAD_DATA_SECOND: ReadonlySet<string> = new Set(['encrypt', 'decrypt']);
/** `cipher.encrypt(nonce, data, associated_data)`: per byte of the data, when the code tells its size; the prior else. */
const aeadSeconds: CostFunction = (_argument, constants, _receiver, _call, _collections, positional) => {
  const data = positional?.[1];
  if (!data || data.kind === 'int') return { seconds: 1e-4, assumed: UNKNOWN_WORK };
  const work = bytesOf(data).bytes * constants['py.aead_byte'];
  const seconds = AEAD_CALL_SECONDS + work;
  return work > AEAD_CALL_SECONDS ? { seconds, part: 'native', held: AEAD_CALL_SECONDS } : { seconds, part: 'gil', lockReleases: AEAD_OPENSSL_CALLS };
};
const fernetSeconds: CostFunction = () => ({ seconds: HOLDS_CALL_SECONDS, lockReleases: FERNET_OPENSSL_CALLS, assumed: UNKNOWN_WORK });
/** Brotli searches far harder at qualities 10 and 11 (11, the highest, is its default) than at 9 and below. */
const BROTLI_HIGHEST_QUALITIES = 10;
const BROTLI_DEFAULT_QUALITY = 11;
const brotliSeconds: CostFunction = (argument, constants, receiver, call) =>
  compressSeconds((call?.quality ?? BROTLI_DEFAULT_QUALITY) >= BROTLI_HIGHEST_QUALITIES ? 'py.brotli_max_compress_byte' : 'py.brotli_compress_byte')(argument, constants, receiver, call);
/**
 * A `key=` function: a Python call per item that builds its key (~25 calls' worth for a lambda reading a few
 * fields), and keys (tuples, strings) that compare several times slower than the ints py.sort_compare was
 * measured on (measured: 60,000 records by a 3-field tuple key sort ~10x slower than 60,000 floats).
 */
const KEY_FUNCTION_CALLS = 25;
const KEY_COMPARE_FACTOR = 4;
/** A comparison sort's levels over `items` (n log2 n comparisons in all). */
function sortLevels(items: number): number {
  return Math.log2(Math.max(2, items));
}
/** sorted()/list.sort(): n log2 n comparisons, and with a key function a Python call per item. */
const sortSeconds: CostFunction = (argument, constants, _receiver, call) => {
  const { items, assumed } = itemsOf(argument);
  const compares = items * sortLevels(items) * constants['py.sort_compare'];
  if (!call?.keyFunction) return { seconds: compares + items * constants['py.function_call'], assumed };
  return { seconds: compares * KEY_COMPARE_FACTOR + items * KEY_FUNCTION_CALLS * constants['py.function_call'], assumed };
};
/** The smallest .xlsx openpyxl writes (an empty workbook, 4,764 bytes): a smaller argument is the path of a file whose size the code does not tell. */
const XLSX_MIN_BYTES = 4_764;
/** openpyxl reads a workbook in Python (expat tokenizes, every cell becomes a Python value), per byte of the .xlsx read
 *  whole; in read-only mode the cells are parsed as `iter_rows` walks them, charged here where the workbook is opened. */
const workbookReadSeconds: CostFunction = (argument, constants) => {
  const bytes = argument?.kind === 'bytes' && argument.value >= XLSX_MIN_BYTES ? argument.value : undefined;
  return bytes !== undefined
    ? { seconds: bytes * constants['py.openpyxl_read_byte'] }
    : { seconds: ASSUMED_BUFFER * constants['py.openpyxl_read_byte'], assumed: `a workbook of ~${ASSUMED_BUFFER / 1024} KiB assumed` };
};
/** Walks every item in C holding the GIL (sum, min, max, Counter). */
const perItem: CostFunction = (argument, constants) => {
  const { items, assumed } = itemsOf(argument);
  return { seconds: items * constants['py.dict_op'], assumed };
};
/**
 * numpy: per element of the first array; a matrix product per flop (square matrices assumed). The call's own overhead
 * (`py.numpy_call`, ~1 µs) holds the GIL; its kernel releases it only over a large array: on a small one (a row in a
 * Python loop) the GIL is held throughout.
 */
const NUMPY_SMALL_ARRAY = 10_000;
/**
 * A ufunc's loop releases the GIL over more than this many elements (NPY_BEGIN_THREADS_THRESHOLDED), however short the
 * work: on an array too small for the work to outlast the call's overhead, threads queue for the GIL at every call, a
 * hand-off each (gil_handoff_study.py, idle: np.add of 1,000 elements 4.1x slower in two threads than one, of 10 1.0x).
 */
const NUMPY_LOOP_RELEASES_OVER = 500;
/** A call of numpy's or pandas' whose work per element is `work` seconds over `elements`: its overhead held, the work released above `releasedFrom` elements. */
const vectorized = (overhead: number, work: number, elements: number, releasedFrom: number): ReturnType<CostFunction> =>
  elements < releasedFrom ? { seconds: overhead + work, part: 'gil' } : { seconds: overhead + work, part: 'native', held: overhead };
/** A numpy call's work on an array of unknown size, assumed: released, beyond the call's own overhead, which holds the GIL. */
const unknownArray = (overhead: number, work: number): ReturnType<CostFunction> => ({ ...vectorized(overhead, work, NUMPY_SMALL_ARRAY, NUMPY_SMALL_ARRAY), assumed: 'an array of unknown size' });
interface PerElementOptions {
  calls?: number;
  perLevel?: boolean;
  overhead?: keyof Constants;
}
/**
 * numpy's work per element of the array the call works on (its first argument's, a made array's), `constant` each (and
 * per comparison level, `perLevel`, for a sort); its own overhead `calls` times `overhead` (a ufunc's, `py.numpy_call`; an
 * operator's, `py.numpy_operator_call`, has no function around it).
 */
const perElement = (constant: keyof Constants, { calls = 1, perLevel = false, overhead = 'py.numpy_call' }: PerElementOptions = {}): CostFunction => (argument, constants, _receiver, _call, _collections, positional) => {
  const elements = elementsOf(argument) ?? (positional?.[0]?.kind === 'int' ? broadcastElements(positional.slice(1)) : undefined);
  const ownSeconds = calls * constants[overhead];
  if (elements === undefined) return unknownArray(ownSeconds, 2e-5);
  const priced = vectorized(ownSeconds, elements * (perLevel ? sortLevels(elements) : 1) * constants[constant], elements, NUMPY_SMALL_ARRAY);
  return priced.part === 'gil' && elements > NUMPY_LOOP_RELEASES_OVER ? { ...priced, lockReleases: 1 } : priced;
};
/** The elements of an array argument; a list or tuple of values the code sizes (`np.prod(factors[k:])`) is made an array of as many. */
function elementsOf(argument: Size | undefined): number | undefined {
  return argument?.kind === 'array' ? argument.value : argument?.kind === 'items' && !argument.frame ? valuesHeld(argument) : undefined;
}
/**
 * Given a single value first (`np.interp(x, xp, fp)` at one point, `np.minimum(6.5, draws)`), numpy broadcasts it over the
 * other arguments: the work is over the largest of them, when the code sizes every one (undefined otherwise).
 */
function broadcastElements(others: readonly (Size | undefined)[]): number | undefined {
  let largest = 1;
  for (const other of others) {
    const elements = other?.kind === 'int' ? 1 : elementsOf(other);
    if (elements === undefined) return undefined;
    largest = Math.max(largest, elements);
  }
  return largest;
}
const numpySeconds = perElement('py.numpy_elementwise_item');
/**
 * numpy's functions written in Python around their kernels (argument handling, dispatch, a reduction's set-up): their own
 * overhead per call in multiples of a ufunc's `py.numpy_call`, measured on 150 elements (a 2 × 2 matrix for the LAPACK
 * solvers' in `LAPACK_SOLVERS`) by test/fixtures/measured/numpy_wrapper_study.py (idle, minimum of 7 repeats; at load 6 the ratios were within 25 %). In a
 * loop over small arrays this overhead is the work, holding the GIL.
 */
const NUMPY_WRAPPER_CALLS: Readonly<Record<string, number>> = {
  mean: 3.7, average: 4.1, std: 13, var: 12, median: 13, percentile: 56, quantile: 53, clip: 8.1, sum: 2.5, max: 2.4, min: 2.5, diff: 2.4, cumsum: 2.4,
};
/** The same for an array's methods (`row.mean()`). */
const NDARRAY_WRAPPER_CALLS: Readonly<Record<string, number>> = { mean: 2.9, std: 12, var: 11, clip: 7.1 };
/**
 * numpy's selections (a percentile, a quantile, a median: a copy of the array, then a partition) do ~40 element-wise
 * operations' work per element (`py.numpy_select_item`), and its sorts n log2 n comparisons (`py.numpy_sort_compare`):
 * np.percentile of 6 million float32 takes ~80 ms where an element-wise sum takes ~2 (both release the GIL).
 */
const NUMPY_SELECTIONS: ReadonlySet<string> = new Set(['percentile', 'quantile', 'median', 'nanpercentile', 'nanquantile', 'nanmedian', 'partition', 'argpartition']);
const NUMPY_SORTS = ['sort', 'argsort', 'unique', 'lexsort'];
const numpySelectSeconds = (calls = 1): CostFunction => perElement('py.numpy_select_item', { calls });
const numpySortSeconds = perElement('py.numpy_sort_compare', { perLevel: true });
/**
 * numpy's functions and array methods that make a view of their array (a new shape or order of the same buffer): no work
 * per element whatever the array's size, the call's own overhead under the GIL (measured ~0.1 µs for `row.ravel()`,
 * `.transpose()`, `.squeeze()`, 0.2 µs `.reshape(-1)`, 0.7-1 µs `np.reshape`, alike on a (3, 12) and a 1,000 × 1,000 array).
 */
const NUMPY_VIEWS = ['reshape', 'ravel', 'transpose', 'squeeze', 'swapaxes', 'expand_dims'];
const NUMPY_VIEW = 'makes a view of the array (a new shape of the same buffer): no work per element, the call\'s own overhead under the GIL';
const viewSeconds = perCall('py.numpy_call');
/** A random Generator's draw: per number of the array it makes (a random number costs ~10 times an element-wise operation). */
const drawSeconds = perElement('py.numpy_draw_item');
/** A method of an array (`patch.mean()`, `row.std()`): priced as numpy's functions are, by the array it is called on. */
const arrayMethodSeconds = (calls = 1, priced = perElement('py.numpy_elementwise_item', { calls })): CostFunction => {
  return (_, constants, receiver) =>
    receiver?.kind === 'array' ? priced(receiver, constants) : unknownArray(calls * constants['py.numpy_call'], 1e-4);
};
/**
 * SciPy's interpolators over a Delaunay triangulation (`griddata` linear and cubic, `LinearNDInterpolator`,
 * `CloughTocher2DInterpolator`) make a LAPACK factorization per triangle (Qhull's
 * barycentric transforms: dgetrf, dgecon), thousands of tiny calls into OpenBLAS, with the GIL released. Its threads fight
 * when several threads of one process make them (scipy_threads_study.py, 2 cores, OpenBLAS 0.3.21 with its default
 * two threads: four threads 0.11-0.18× of sequential, 0.7-0.9× with OPENBLAS_NUM_THREADS=1; libkit27
 * `thickness_map_interpolate` measured 30× slower in threads, processes 1.5× faster); `Delaunay` alone (transforms made
 * lazily) and `griddata`'s nearest method (a k-d tree) do not fight. Priced per scattered point; a point set the code
 * does not size is taken to be TRIANGULATED_POINTS.
 */
const TRIANGULATED_POINTS = 2_000;
const TRIANGULATION_FIGHTS = 'interpolates over a Delaunay triangulation: a LAPACK call per triangle into OpenBLAS, GIL released, but OpenBLAS\'s threads fight when threads of one process call it at once';
const triangulationSeconds: CostFunction = (argument, constants) => {
  const points = argument?.kind === 'array' ? argument.value / (argument.shape?.[1] ?? 2) : undefined;
  return {
    seconds: (points ?? TRIANGULATED_POINTS) * constants['py.triangulated_point'],
    contended: true,
    ...(points === undefined && { assumed: `a triangulation of ~${TRIANGULATED_POINTS.toLocaleString('en-US')} points assumed` }),
  };
};
/**
 * OpenBLAS computes a matrix product of more than this many multiply-adds (m·n·k) on all its threads, one per core by
 * default, a smaller one on the calling thread (test/fixtures/measured/blas_threads_study.py: CPU over wall ~1 up to
 * 64×64×64, ~2 on this 2-core machine from 72×72×72).
 */
const BLAS_THREADED_PRODUCT = 262_144;
/** A matrix product of `products` multiply-adds on arrays of `elements` elements: BLAS, on all cores above BLAS_THREADED_PRODUCT. */
const blasProduct = (constants: Constants, products: number, elements: number): ReturnType<CostFunction> => {
  const priced = vectorized(constants['py.numpy_call'], 2 * products * constants['py.numpy_matmul_flop'], elements, NUMPY_SMALL_ARRAY);
  return priced.part === 'native' && products > BLAS_THREADED_PRODUCT ? { ...priced, allCores: true } : priced;
};
/**
 * numpy's and SciPy's dense LAPACK solvers, by the flops of an m × n matrix (the first argument's shape; a square one of
 * its elements when only those are told): an LU solve or determinant ⅔n³, an inverse 2n³, a least-squares fit 2mn² + 8n³
 * (n the smaller side), `py.numpy_lu_flop` each (calibrate.py: a solve of 900 × 900; lapack_study.py in the measured
 * fixtures: 23-54 ps a flop from n = 300 for solves, inverses and fits, Debian's numpy and OpenBLAS on 2 cores, 2-4 times
 * the matrix product's; 140-290 on tall, narrow fits, not modelled); the wrapper's own overhead (`wrapperCalls`, measured
 * as `NUMPY_WRAPPER_CALLS`'; lstsq's not measured) holds the GIL. Past BLAS_THREADED_PRODUCT's side OpenBLAS runs them on its own threads, which fight when several threads
 * of one process call it at once: libkit30 `ftir_calibration` (lstsq of 1,000 × 400) took 16× its sequential time in a
 * thread pool, libkit29 `stock_projection` (solve of 900 × 900) 1.5×.
 */
interface LapackSolver {
  flops: (m: number, n: number) => number;
  wrapperCalls: number;
}
const LAPACK_SOLVERS: Readonly<Record<string, LapackSolver>> = {
  solve: { flops: (_, n) => (2 / 3) * n ** 3, wrapperCalls: 3.8 },
  det: { flops: (_, n) => (2 / 3) * n ** 3, wrapperCalls: 3.1 },
  inv: { flops: (_, n) => 2 * n ** 3, wrapperCalls: 8 },
  lstsq: { flops: (m, n) => 2 * Math.max(m, n) * Math.min(m, n) ** 2 + 8 * Math.min(m, n) ** 3, wrapperCalls: 1 },
};
const LAPACK_THREADED_SIDE = Math.cbrt(BLAS_THREADED_PRODUCT);
const lapackSeconds = ({ flops: flopsOf, wrapperCalls }: LapackSolver): CostFunction => (argument, constants) => {
  const overhead = wrapperCalls * constants['py.numpy_call'];
  if (argument?.kind !== 'array') return unknownArray(overhead, 1e-4);
  const [m, n] = argument.shape?.length === 2 ? argument.shape : [Math.sqrt(argument.value), Math.sqrt(argument.value)];
  const flops = flopsOf(m as number, n as number);
  const priced = vectorized(overhead, flops * constants['py.numpy_lu_flop'], argument.value, NUMPY_SMALL_ARRAY);
  return priced.part === 'native' && Math.min(m as number, n as number) > LAPACK_THREADED_SIDE ? { ...priced, contended: true, why: LAPACK_FIGHTS } : priced;
};
const LAPACK = 'solves in LAPACK with the GIL released';
const LAPACK_FIGHTS = `${LAPACK}, but on a matrix this large OpenBLAS's own threads do the work, and they fight when threads of one process call it at once`;
/** `np.dot(a, b)`: square matrices of the first argument's rows assumed (the second's size is not read). */
const matmulSeconds: CostFunction = (argument, constants) => {
  if (argument?.kind !== 'array') return { seconds: 1e-3, assumed: 'matrices of unknown size' };
  const side = argument.shape?.[0] ?? Math.sqrt(argument.value);
  return blasProduct(constants, argument.value * (argument.shape?.length === 1 ? 1 : side), argument.value);
};
/**
 * `a @ b`: (…, m, k) @ (k, n) is m·n·k multiply-adds (the product's elements times k). With one operand's shape unknown,
 * it is taken to be square (k × k: weights of a feature dimension, `features @ self.hidden`) while that fits
 * SQUARE_OPERAND_SIDE, else a vector (`X.T @ y` of a 60,000-row X: a 60,000 × 60,000 operand would be 29 GB).
 */
const SQUARE_OPERAND_SIDE = 4096;
const matmulOperatorSeconds: CostFunction = (argument, constants, receiver) => {
  const left = receiver?.kind === 'array' ? receiver : undefined;
  const right = argument?.kind === 'array' ? argument : undefined;
  if (left && right) {
    const made = matrixProduct(left, right);
    return blasProduct(constants, (made?.value ?? 1) * (left.shape?.at(-1) ?? left.value), Math.max(left.value, right.value));
  }
  const known = left ?? right;
  if (!known) return { seconds: 1e-3, assumed: 'matrices of unknown size' };
  const inner = (left ? known.shape?.at(-1) : known.shape?.[0]) ?? Math.sqrt(known.value);
  const square = inner <= SQUARE_OPERAND_SIDE;
  return { ...blasProduct(constants, known.value * (square ? inner : 1), known.value), assumed: `one operand's size unknown: ${square ? 'a square matrix' : 'a vector'} assumed` };
};
/**
 * pandas: a method's own overhead (`py.pandas_call`, ~120 µs of Python: indexes, dtypes, a new frame or Series) holds
 * the GIL; the work per row (`py.pandas_row`) runs in numpy and Cython kernels, which release it over all but small
 * frames: measured idle (test/fixtures/measured/pandas_gil_study.py), two threads' group-bys, sorts and pivots on frames of
 * 3×10^4 rows of 5 columns ran 1.1-1.9 times as fast as one thread, and the fixtures that group 36,500-60,000 rows of 3-4
 * columns ran 1.26-1.75 times as fast in threads, so from PANDAS_RELEASED_VALUES values (rows × columns). The rows are
 * those of the frame the method is called on, else of its first argument (`pd.to_datetime(stamps)`); a frame of
 * unknown size is assumed ASSUMED_ROWS long.
 */
const PANDAS_RELEASED_VALUES = 100_000;
const ASSUMED_ROWS = 10_000;
const pandasSeconds: CostFunction = (argument, constants, receiver) => {
  // A module function's first argument (`pd.to_datetime(frame["stamp"])`) when it is a frame or an array, not a column's name.
  const frame = receiver ?? (argument?.frame || argument?.kind === 'array' ? argument : undefined);
  const rows = itemsIn(frame);
  const columns = frame?.frame && frame.each ? frame.each.value : 1;
  const priced = vectorized(constants['py.pandas_call'], (rows ?? ASSUMED_ROWS) * constants['py.pandas_row'], (rows ?? ASSUMED_ROWS) * columns, PANDAS_RELEASED_VALUES);
  return rows === undefined ? { ...priced, assumed: `a frame of ~${ASSUMED_ROWS.toLocaleString('en-US')} rows assumed` } : priced;
};
/**
 * `pd.to_timedelta(column)`, `pd.to_datetime(column)` of text ("07:42:10", "2026-03-01"): each value parsed in Python-level
 * code, holding the GIL (measured: 2.5 µs a value for "HH:MM:SS", 1.8 µs for a date, pandas 1.5.3; two threads 1.01 / 0.98
 * times one); with `unit=` the values are numbers, converted in one vectorized pass as pandas' other kernels are.
 */
const PARSED_TEXT_VALUE_SECONDS = { to_timedelta: 2.5e-6, to_datetime: 1.8e-6 };
const textParseSeconds = (valueSeconds: number): CostFunction => (argument, constants, receiver, call) => {
  if (call?.unitGiven) return pandasSeconds(argument, constants, receiver);
  const rows = itemsIn(argument?.frame || argument?.kind === 'array' ? argument : undefined);
  const seconds = constants['py.pandas_call'] + (rows ?? ASSUMED_ROWS) * valueSeconds;
  const why = 'parses each text value in turn, holding the GIL';
  return rows === undefined ? { seconds, part: 'gil', why, assumed: `a column of ~${ASSUMED_ROWS.toLocaleString('en-US')} values assumed` } : { seconds, part: 'gil', why };
};
/**
 * `frame.pivot_table(…)`: a group-by per aggregation, then a reshape into columns: its own overhead ~22 times a pandas
 * call's (2.6 ms) and ~3 times a call's work per row (124 ns), measured by pandas_numpy_study.py. Native: the three
 * measured fixtures that pivot 35,000-150,000 rows (regional_engagement, circulation_by_branch, gate_transactions_summary)
 * ran 1.3-1.8 times faster in threads.
 */
const PIVOT_CALLS = 22;
const PIVOT_ROWS = 3;
const pivotSeconds: CostFunction = (argument, constants, receiver) =>
  pandasSeconds(argument, { ...constants, 'py.pandas_call': PIVOT_CALLS * constants['py.pandas_call'], 'py.pandas_row': PIVOT_ROWS * constants['py.pandas_row'] }, receiver);
/** pandas' string methods (`column.str.split()`): Python per value (`py.pandas_str_row`), holding the GIL. */
const pandasStringSeconds: CostFunction = (_, constants, receiver) => {
  const rows = itemsIn(receiver);
  const seconds = constants['py.pandas_call'] + (rows ?? ASSUMED_ROWS) * constants['py.pandas_str_row'];
  return rows === undefined ? { seconds, assumed: `a frame of ~${ASSUMED_ROWS.toLocaleString('en-US')} rows assumed` } : { seconds };
};
/**
 * `frame.apply(f, axis=1)`: a Series made per row and `f` run on it, reading the row's fields by label, all Python holding
 * the GIL (`py.pandas_apply_row`, measured with an `f` reading two to three fields: 3.4 µs a row, ~1.8 of it the Series
 * alone). Over columns (the default axis) `f` runs once per column, on a whole Series: work the code does not size.
 */
const applySeconds: CostFunction = (_, constants, receiver, call) => {
  if (!call?.rowWise) return { seconds: HOLDS_CALL_SECONDS, assumed: UNKNOWN_WORK };
  const rows = itemsIn(receiver);
  const seconds = constants['py.pandas_call'] + (rows ?? ASSUMED_ROWS) * constants['py.pandas_apply_row'];
  const why = 'makes a Series of each row and calls the Python function on it, holding the GIL';
  return rows === undefined ? { seconds, why, assumed: `a frame of ~${ASSUMED_ROWS.toLocaleString('en-US')} rows assumed` } : { seconds, why };
};
/** Images of unknown size are assumed this big (pixels). */
const ASSUMED_PIXELS = 1_000_000;
/** Pillow: one pass over the image's pixels (decode, convert, filter, resample, encode): the receiver's size, a numpy-like shape. */
const pixelSeconds: CostFunction = (_, constants, receiver) =>
  receiver?.kind === 'array'
    ? { seconds: 1e-6 + receiver.value * constants['py.pillow_pixel'] }
    : { seconds: ASSUMED_PIXELS * constants['py.pillow_pixel'], assumed: 'an image of ~1 megapixel assumed' };
/** A function given the image as its first argument (`ImageOps.equalize(image)`): per pixel of that image. */
const imageArgumentSeconds: CostFunction = (argument, constants) => pixelSeconds(undefined, constants, argument);
/**
 * A pass through a table of levels (`point`, `histogram`, ImageOps' `autocontrast` and `equalize`: a histogram and a
 * point): a read of each pixel and a look-up, a sixteenth of a filter's pass or less (slide_filters_study.py, a 2,400 ×
 * 2,400 'L' image: point 2.1 ms, histogram 4.2, autocontrast 4.3, against FIND_EDGES 70 and GaussianBlur(3) 84).
 */
const LEVEL_TABLE_PASS_SHARE = 1 / 16;
const levelTableSeconds = (ofArgument: boolean): CostFunction => (argument, constants, receiver) =>
  pixelSeconds(undefined, { ...constants, 'py.pillow_pixel': LEVEL_TABLE_PASS_SHARE * constants['py.pillow_pixel'] }, ofArgument ? argument : receiver);
/**
 * Pillow's filter: a kernel or a blur is one pass over the pixels in C with the GIL released; a rank or mode filter
 * (`MedianFilter(5)`, Min, Max, Mode) selects in its window at every pixel holding the GIL (RankFilter.c and ModeFilter.c
 * never release it): `py.pillow_rank_value` a pixel and value of its window.
 */
const filterSeconds: CostFunction = (argument, constants, receiver, call) => {
  const window = call?.rankWindow;
  if (window === undefined) return pixelSeconds(argument, constants, receiver);
  const pixels = receiver?.kind === 'array' ? receiver.value : ASSUMED_PIXELS;
  return {
    seconds: 1e-6 + pixels * window * window * constants['py.pillow_rank_value'],
    part: 'gil',
    why: `a rank filter (a ${window}×${window} window) selects at every pixel in C holding the GIL`,
    ...(receiver?.kind !== 'array' && { assumed: 'an image of ~1 megapixel assumed' }),
  };
};
/** Pillow's copy(): a copy of the image's buffer, no pass of per-pixel work. */
const copySeconds: CostFunction = (_, constants, receiver) =>
  receiver?.kind === 'array'
    ? { seconds: 1e-6 + receiver.value * constants['py.pillow_copy_pixel'] }
    : { seconds: ASSUMED_PIXELS * constants['py.pillow_copy_pixel'], assumed: 'an image of ~1 megapixel assumed' };
/**
 * Pillow's crop: a copy of the rows of the box (its argument's size, read from the box), not over the whole image, and no
 * pass of per-pixel work (measured: a 256 × 256 box 3.4 µs, a copy's; a filter's pass over it ~270 µs).
 */
const boxSeconds: CostFunction = (argument, constants, receiver) => copySeconds(undefined, constants, argument?.kind === 'array' ? argument : receiver);
/**
 * Pillow's load(): an image opened from a file is decoded there, one pass over its pixels (of an assumed size: the code
 * does not tell a file's); an image the code made (new, copy, convert: its size is in the code) is in memory already,
 * and load() only hands out its pixel access.
 */
const loadSeconds: CostFunction = (_, constants, receiver) =>
  receiver?.kind === 'array' ? { seconds: 2 * constants['py.function_call'], part: 'gil' } : pixelSeconds(undefined, constants, receiver);
/** statistics.mean()/stdev(): each item converted to an exact fraction and summed in Python (~40 calls' worth, measured ~0.85 µs). */
const FRACTION_SUM_CALLS = 40;
const exactStatisticsSeconds: CostFunction = (argument, constants) => {
  const { items, assumed } = itemsOf(argument);
  return { seconds: items * FRACTION_SUM_CALLS * constants['py.function_call'], assumed };
};
/**
 * networkx over a graph whose size the code does not tell, of ~1,000 nodes and ~5,000 edges: a single-source
 * algorithm visits every edge once (~1 µs of Python each), an all-sources one (centrality, all pairs) once per node
 * (sampled, as `betweenness_centrality(k=...)` often is: ~20 sources).
 */
const GRAPH_SECONDS = 5e-3;
const ALL_SOURCES_GRAPH_SECONDS = 0.1;
const NETWORKX_ALL_SOURCES = ['betweenness_centrality', 'edge_betweenness_centrality', 'closeness_centrality', 'all_pairs_shortest_path',
  'all_pairs_shortest_path_length', 'all_pairs_dijkstra_path', 'all_pairs_dijkstra_path_length', 'floyd_warshall', 'average_shortest_path_length'];
const graphSeconds = (seconds: number): CostFunction => () => ({ seconds, assumed: 'a graph of ~1,000 nodes and ~5,000 edges assumed' });
/** random.py's distributions and choices: a few Python calls each (gauss ~0.5 µs, randint ~0.35 µs, uniform ~0.17 µs). */
const RANDOM_PYTHON_CALLS = 15;
const randomSeconds: CostFunction = (_, constants) => ({ seconds: RANDOM_PYTHON_CALLS * constants['py.function_call'] });
/**
 * random.py's draws of k items, priced per item drawn (the items the call returns, `CallFact.argSize`; one draw when the
 * code does not size them): `sample(population, k)` a `_randbelow` each, as many Python calls as a randint; `choices(…,
 * k=n)` one `random()` and a floor each, ~4 calls. Measured (Debian's 3.11, 300 items): sample 0.9 µs for k = 1, 10.3 µs
 * for k = 40 (0.24 µs an item); choices 3.1 µs for k = 40.
 */
const drawnItemsSeconds = (pythonCallsPerItem: number): CostFunction => (argument, constants) => {
  const items = argument?.kind === 'items' ? argument.value : 0;
  return { seconds: (RANDOM_PYTHON_CALLS + items * pythonCallsPerItem) * constants['py.function_call'] };
};
const CHOICE_PYTHON_CALLS = 4;
/** bcrypt: 2^cost rounds, at bcrypt.gensalt()'s default cost (the salt's cost is not read from the code). */
const BCRYPT_DEFAULT_COST = 12;
const bcryptSeconds: CostFunction = (_, constants) => ({
  seconds: 2 ** BCRYPT_DEFAULT_COST * constants['py.bcrypt_hash_round'],
  assumed: `bcrypt cost ${BCRYPT_DEFAULT_COST} (gensalt's default) assumed`,
});
/**
 * A Jinja template renders in Python code compiled from it: a call's own cost (a new context, its output joined), and
 * a loop step per item of the data it is given (`py.jinja_loop_item`: a row of a few fields output, escaped). The
 * items are those of its collection arguments when the code tells every one of their sizes (`rows=INVOICE_LINES`,
 * three invoices built in a comprehension); otherwise ~100 items are assumed. A render given only single values
 * (`render(name=f"S{i}", box=i % 81)`) loops over nothing.
 */
const templateSeconds: CostFunction = (_, constants, _receiver, call, collections) => {
  const render = constants['py.jinja_render_call'];
  if (call?.scalarArgs) return { seconds: render };
  const items = collections && itemsGiven(collections);
  if (items !== undefined) return { seconds: render + items * constants['py.jinja_loop_item'] };
  return { seconds: render + ASSUMED_ITEMS * constants['py.jinja_loop_item'], assumed: `a template over ~${ASSUMED_ITEMS} items assumed`, assumedLoop: true };
};
/** The items of collections a template may loop over (a string is output whole: none); undefined if one's size is unknown. */
function itemsGiven(collections: readonly (Size | undefined)[]): number | undefined {
  let items = 0;
  for (const size of collections) {
    if (!size) return undefined;
    if (size.kind === 'items') items += size.value;
    else if (size.kind === 'array') items += size.shape?.[0] ?? size.value;
  }
  return items;
}
/**
 * A parser over a document the code sizes (a reply of a sized query, a buffer built in the code): per byte.
 * A short string is a file's path, not the document: the call keeps its prior then, as when nothing is told.
 */
const PATH_LIKE_BYTES = 1024;
const parseSeconds = (constant: keyof Constants): CostFunction => (argument, constants) =>
  argument && argument.kind !== 'int' && argument.value > PATH_LIKE_BYTES ? { seconds: 1e-5 + argument.value * constants[constant] } : { seconds: 1e-4, assumed: 'a document of unknown size' };
/** `resp.json()`: per byte of the reply, when its size is told (its query asked for a number of records). */
const replyJsonSeconds: CostFunction = (_, constants, receiver) =>
  receiver?.kind === 'bytes' ? { seconds: 1e-5 + receiver.value * constants['py.json_loads_byte'] } : { seconds: 1e-5 };
/**
 * `etree.iterparse(path, tag="message")`: libxml2 reads the file as the loop asks and lxml builds each record's element and
 * its proxy, holding the GIL (`py.iterparse_record` a record): the records a workspace builder wrote to the path (sizes.ts's
 * `written`), else the loop's assumed items.
 */
const iterparseSeconds: CostFunction = (argument, constants) =>
  argument?.kind === 'items' && argument.written
    ? { seconds: 1e-4 + argument.value * constants['py.iterparse_record'] }
    : { seconds: 1e-4 + ASSUMED_ITEMS * constants['py.iterparse_record'], assumed: `a file of ~${ASSUMED_ITEMS} records assumed`, assumedLoop: true };
/**
 * scrypt (hashlib's, or cryptography's `Scrypt(…).derive`): memory-hard, n steps each mixing r blocks, for each of p lanes: its
 * blocks as sizes.ts reads them (`scryptBlocks`: hashlib's keywords, the argument; the constructor's, cryptography's instance).
 * A block costs `py.scrypt_block` while the memory it works over (128 × r × n bytes, taken as 128 bytes a block) stays within
 * the cache, `py.scrypt_block_large` past it (scrypt_params_study.py: ~0.35 µs a block up to 16 MB, ~0.9 from 32 MB). Not
 * told: n = 2**14 and r = 8, the documented minimum, assumed.
 */
const ASSUMED_SCRYPT_BLOCKS = 2 ** 14 * 8;
const SCRYPT_BLOCK_BYTES = 128;
const SCRYPT_CACHED_BYTES = 16 * 2 ** 20;
const scryptSeconds: CostFunction = (argument, constants, receiver) => {
  const blocks = receiver?.kind === 'int' ? receiver.value : argument?.kind === 'int' ? argument.value : undefined;
  const block = (count: number): number => (count * SCRYPT_BLOCK_BYTES > SCRYPT_CACHED_BYTES ? constants['py.scrypt_block_large'] : constants['py.scrypt_block']);
  return blocks === undefined
    ? { seconds: ASSUMED_SCRYPT_BLOCKS * block(ASSUMED_SCRYPT_BLOCKS), assumed: 'scrypt at n = 2**14, r = 8 assumed' }
    : { seconds: blocks * block(blocks) };
};
/**
 * `linear_sum_assignment(costs)`: scipy's C++ solver (its extension module `_lsap` never releases the GIL), `py.lsap_cell` a
 * cell of the cost matrix (it grows slowly with the side: ~26 ns a cell at 100, ~58 at 1,600); a 100 × 100 matrix assumed.
 */
const ASSUMED_ASSIGNMENT_CELLS = 100 * 100;
const assignmentSeconds: CostFunction = (argument, constants) =>
  argument?.kind === 'array'
    ? { seconds: 1e-5 + argument.value * constants['py.lsap_cell'] }
    : { seconds: 1e-5 + ASSUMED_ASSIGNMENT_CELLS * constants['py.lsap_cell'], assumed: 'a 100×100 cost matrix assumed' };
/** An lxml element's method (`claim.findtext("Peril")`, `row.get("id")`): a few microseconds through its Python proxy (`py.lxml_element_call`), not a 'holds' call's 10 µs prior. */
const lxmlElementSeconds = perCall('py.lxml_element_call');
/**
 * `hmac.new(key, message, digestmod)` and its digest: ~1.4 µs a pair on a short message (`py.hmac_call`), several small
 * hashlib calls' worth: the module's Python code sets up an inner and an outer hash. The GIL is held throughout.
 */
const hmacSeconds = perCall('py.hmac_call');
/** time.sleep(seconds), asyncio.sleep(seconds): `asyncio.sleep(0)` only yields to the event loop, no wait. */
const sleepSeconds: CostFunction = (argument) => (argument?.kind === 'int' ? { seconds: argument.value } : { seconds: 0.01, assumed: 'a sleep of unknown length' });

/**
 * The standard library's `email` package is Python: a part set or added to an `EmailMessage` (its content manager
 * encodes the text and writes its headers, an alternative turns the message multipart) ~0.14 ms (`py.email_part`), a
 * message written out as bytes or text ~0.13 ms (`py.email_flatten`, a message of two parts; its generator writes to a
 * BytesIO, not to a file), all holding the GIL (both measured by scripts/calibrate.py).
 */
function emailMessageEntries(): Record<string, ApiEntry> {
  const part = costing(holds('the email package makes a MIME part in Python, holding the GIL'), perCall('py.email_part'));
  const flatten = costing(holds('the email package writes the message out in Python (into memory), holding the GIL'), perCall('py.email_flatten'));
  return {
    ...sameEntry('email.message.EmailMessage', EMAIL_PART_METHODS, part),
    ...sameEntry('email.message.MIMEPart', EMAIL_PART_METHODS, part),
    ...sameEntry('email.message.EmailMessage', EMAIL_FLATTEN_METHODS, flatten),
    ...sameEntry('email.message.MIMEPart', EMAIL_FLATTEN_METHODS, flatten),
    ...sameEntry('email.message.Message', EMAIL_FLATTEN_METHODS, flatten),
  };
}
const EMAIL_PART_METHODS = ['set_content', 'add_alternative', 'add_attachment', 'add_related'];
const EMAIL_FLATTEN_METHODS = ['as_bytes', 'as_string', '__bytes__', '__str__'];

/**
 * `decimal.Decimal`'s everyday work, measured by scripts/calibrate.py (C, holding the GIL): a construction from a text
 * or an int ~0.1 µs (`py.decimal_new`), an operator `+ - * /` on a Decimal and a Decimal or an int ~30 ns
 * (`py.decimal_operation`), a `quantize` to the penny with a rounding ~0.2 µs (`py.decimal_quantize`). Its operators
 * are priced per operation wherever the code types an operand as a Decimal; its other methods keep the prior of a call.
 */
function decimalEntries(): Record<string, ApiEntry> {
  const why = 'decimal arithmetic runs in C holding the GIL';
  const operation: ApiEntry = { ...costing(holds(why, 'decimal.Decimal'), perCall('py.decimal_operation')), perOperation: true };
  return {
    'decimal.Decimal': costing(holds(why, 'decimal.Decimal'), perCall('py.decimal_new')),
    'decimal.Decimal.quantize': costing(holds(why, 'decimal.Decimal'), perCall('py.decimal_quantize')),
    ...sameEntry('decimal.Decimal', DECIMAL_OPERATOR_METHODS, operation),
  };
}

const DECIMAL_OPERATOR_METHODS = (['+', '-', '*', '/'] as const).map((operator) => ELEMENT_WISE_METHODS[operator]);

/** A call of C code holding the GIL whose work the code does not size: a prior. */
const HOLDS_CALL_SECONDS = 1e-5;

/** Seconds per call of each kind when an entry has no cost function: a prior, stated. */
export function defaultSeconds(entry: ApiEntry, constants: Constants): number {
  switch (entry.kind) {
    case 'wait':
      // Relative costs of the weight model: a round trip (network, child process) ~ milliseconds, metadata ~ microseconds.
      return entry.cost === undefined ? 1e-4 : entry.cost >= ROUND_TRIP_COST ? 5e-3 : 1e-5;
    case 'async-wait':
      return 5e-3;
    case 'native':
      return 1e-4;
    case 'holds':
      return HOLDS_CALL_SECONDS;
    case 'cheap':
      return 2 * constants['py.function_call'];
  }
}

/** Round trips: a network request, a child process, a timer, a disk flush (milliseconds per call). */
const ROUND_TRIP_COST = 4;
/** File system metadata calls (stat, unlink, mkdir): microseconds per call. */
const METADATA_COST = 0.25;

const wait = (why: string, returns?: string): ApiEntry => ({ kind: 'wait', why, returns });

/** Methods of multiprocessing pools that block until the workers are done. */
const POOL_WAITING_METHODS = ['map', 'starmap', 'apply'];

/** A pool's constructor (returning an instance of its own type, so thread and process pools stay apart) and its methods. */
function poolEntries(type: string, creates: string, waiting: readonly string[]): Record<string, ApiEntry> {
  const entries: Record<string, ApiEntry> = { [type]: cheap(creates, type) };
  for (const method of waiting) entries[`${type}.${method}`] = wait('waits for the pool\'s workers');
  entries[`${type}.submit`] = cheap('hands a task to the pool', 'concurrent.futures.Future');
  entries[`${type}.*`] = cheap('pool bookkeeping');
  return entries;
}
const roundTrip = (why: string, returns?: string): ApiEntry => ({ kind: 'wait', why, returns, cost: ROUND_TRIP_COST });
/**
 * A child running a program the code names: priced by the table of programs (programs.ts), else `otherwise` seconds
 * (`unknownWork`: what that prior assumed).
 */
const childSeconds = (otherwise: number, unknownWork?: string): CostFunction => (_, __, ___, call) => {
  const run = childRun(call?.program, otherwise);
  return run.childCpu === undefined && unknownWork ? { ...run, assumed: unknownWork } : run;
};
const childProcess = (why: string, returns?: string): ApiEntry => costing(roundTrip(why, returns), childSeconds(CHILD_RUN_SECONDS));

/** Dask's client (importable from `distributed` and `dask.distributed`): it hands tasks to a cluster's workers, and waits for them. */
function daskEntries(module: string): Record<string, ApiEntry> {
  return {
    [`${module}.Client`]: roundTrip('connects to a Dask scheduler', 'distributed.Client'),
    [`${module}.LocalCluster`]: cheap('starts a Dask cluster of worker processes', 'distributed.LocalCluster'),
    [`${module}.wait`]: wait('waits for the Dask cluster\'s workers'),
    [`${module}.as_completed`]: wait('waits for the Dask cluster\'s workers'),
  };
}
const metadata = (why: string, returns?: string): ApiEntry => ({ kind: 'wait', why, returns, cost: METADATA_COST });
const sized = (entry: ApiEntry, seconds?: CostFunction): ApiEntry => ({ ...entry, scalesWithInput: 'buffer', ...(seconds && { seconds }) });
const hashing = (entry: ApiEntry): ApiEntry => ({ ...entry, scalesWithInput: 'hash', seconds: hashSeconds });
const costing = (entry: ApiEntry, seconds: CostFunction): ApiEntry => ({ ...entry, seconds });
const asyncWait = (why: string, returns?: string): ApiEntry => ({ kind: 'async-wait', why, returns });
const native = (why: string, returns?: string): ApiEntry => ({ kind: 'native', why, returns });
const holds = (why: string, returns?: string): ApiEntry => ({ kind: 'holds', why, returns });
const cheap = (why: string, returns?: string): ApiEntry => ({ kind: 'cheap', why, returns });

const FILE_IO = 'file I/O: the GIL is released while the OS reads or writes';
const NETWORK = 'network I/O: the GIL is released while waiting on the socket';
const HTTP = 'HTTP request: waits on the network with the GIL released';
const LXML_ELEMENT = 'walks the tree through Python proxies, holding the GIL';
const DB = 'database call: waits on the server with the GIL released';
const SQLITE = 'SQLite runs the statement in C inside this process with the GIL released';
const STAT = 'stat() is a file system call';
const HASH = 'hashlib releases the GIL while hashing buffers over 2 KiB';
const COMPRESS = 'compression runs in C with the GIL released';
const CHECKSUM = 'the checksum runs in C with the GIL released (for buffers over 5 KiB)';
const NUMPY = 'numpy kernels run in C and release the GIL for large arrays';
const FERNET = 'Fernet pads, encrypts, signs and base64-encodes, mostly holding the GIL';
const PANDAS = 'vectorized pandas work in numpy and Cython, GIL released for large frames (each call\'s own Python overhead holds it)';
const RANDOM_IN_PYTHON = 'draws a pseudo-random number in Python code (random.py), holding the GIL';
const RE_HOLDS = 'the re engine runs in C holding the GIL';
const REGEX_RELEASES = 'regex matches str and bytes with the GIL released';
const MATMUL = 'matrix product in BLAS with the GIL released';
const REGEX_PER_MATCH = 'regex releases the GIL while it searches but takes it back to build every match: threads contend';
const REGEX_ALL_MATCHES = ['findall', 'finditer', 'sub', 'subn', 'split', 'splititer'];
/** Calls of re and regex (module functions and a pattern's methods) that return one match object (or None). */
const REGEX_ONE_MATCH = ['match', 'search', 'fullmatch'];
/**
 * A regular expression's engine over the text it is given, per byte as its pattern makes it try each position;
 * `everyMatch`: the call builds a result for each match (findall, sub, split). `releasesPerCall` (regex): each search
 * releases the GIL, so a call on a short text is a hand-off, and a call that builds every match one a match.
 */
const scanSeconds = (everyMatch: boolean, releasesPerCall = false): CostFunction => (argument, constants, _receiver, call) => {
  const { bytes, assumed } = bytesOf(argument);
  const { scan, matchesPerByte, errors } = patternCost(call?.pattern, releasesPerCall);
  const perByte = scan * constants['py.re_search_byte'] + (everyMatch ? matchesPerByte * constants['py.re_match_item'] : 0);
  const seconds = 5e-7 + bytes * perByte;
  const fuzzy = errors === undefined ? undefined : `fuzzy matching (up to ${errors} error${errors > 1 ? 's' : ''}) tries every position, ~${Math.round(perByte * 1e9)} ns a byte`;
  if (assumed !== undefined) return { seconds, assumed, ...(fuzzy && { why: fuzzy }) };
  // regex searches for each match with the GIL released and takes it back to build the match: a hand-off a match, and one for the search that finds no more.
  if (everyMatch && releasesPerCall) return { seconds, part: 'gil', lockReleases: 1 + Math.round(bytes * matchesPerByte), ...(fuzzy && { why: `${fuzzy}; ${REGEX_PER_MATCH}` }) };
  if (bytes >= REGEX_RELEASE_PAYS_FROM) return { seconds, ...(fuzzy && { why: `${fuzzy}, with the GIL released` }) };
  if (!releasesPerCall) return { seconds, part: 'gil' };
  return { seconds, part: 'gil', lockReleases: 1, ...(fuzzy && { why: `${fuzzy}; on a short text regex takes the GIL back at every call's end: threads queue for it` }) };
};
/**
 * regex releases the GIL for every match on a str and takes it back when the call returns: on a short text the hand-off
 * outlasts the scan, and threads making such calls queue for the GIL (a hand-off a call: `releasesPerCall`). Measured
 * (Debian 12's regex, 8 tasks of searches, 4 threads against one): 5-7× slower than sequential on texts of 40-1,000 bytes,
 * 0.7× from 4,000 bytes; 8 tasks of 90,000 matches on 20-byte lines, 2 threads: 4.8× slower, ~2.7 µs more a match (`re`,
 * which never releases it: 0.99×).
 */
const REGEX_RELEASE_PAYS_FROM = 2048;
/** The same entry returning a match object of `module` (`re.Match`, `regex.Match`), whose methods then read it. */
const returningMatch = (module: string, entry: ApiEntry): ApiEntry => ({ ...entry, returns: `${module}.Match` });

/**
 * SQLAlchemy on a SQLite file or in memory: no server to wait for. The statement runs in SQLite's C code in this
 * process and the ORM builds, tracks and flushes objects in Python (measured on the fixtures: ~0.2 ms of Python a
 * session operation, an added object included).
 */
const SQLALCHEMY_SQLITE_CALL_SECONDS = 2e-4;
/**
 * A statement that reads every row of a table whose rows the code tells (a GROUP BY or a filter no index serves: see the
 * `statement` size) spends them in SQLite's C code, which runs with the GIL released: `py.sqlite_scan_row` a row. An
 * insert given a list of rows (`execute(table.insert(), rows)`, an executemany) spends them in Python: SQLAlchemy
 * processes each row's parameters and the driver binds them, holding the GIL, `py.sqlalchemy_insert_row` a row. sqlite3
 * releases the GIL around SQLite's step of each row, too short to overlap anything: a hand-off per row, which threads
 * queue for (sqlalchemy_sqlite_study.py; libkit22 tariff_ledger_sql, 4,000 rows: 1.9x slower in 4 threads than in one).
 */
const SQLALCHEMY_ON_SQLITE: ApiEntry = {
  kind: 'holds',
  why: 'SQLAlchemy on SQLite: the ORM works in Python in this process (no database server to wait for)',
  seconds: (statement, constants, _receiver, call) => {
    if (call?.insertsRows && statement?.kind === 'items') {
      const why = `SQLAlchemy on SQLite: inserts ${formatCount(statement.value)} rows, each one's parameters processed in Python, holding the GIL`;
      return { seconds: SQLALCHEMY_SQLITE_CALL_SECONDS + statement.value * constants['py.sqlalchemy_insert_row'], part: 'gil', lockReleases: statement.value, why };
    }
    const visits = statement?.statement?.visits;
    if (!visits) return { seconds: SQLALCHEMY_SQLITE_CALL_SECONDS };
    const why = `SQLAlchemy on SQLite: SQLite reads the table's ${formatCount(visits)} rows in C with the GIL released (no index serves the statement)`;
    return { seconds: SQLALCHEMY_SQLITE_CALL_SECONDS + visits * constants['py.sqlite_scan_row'], part: 'native', held: SQLALCHEMY_SQLITE_CALL_SECONDS, why };
  },
};

/**
 * The entry for `name` when every engine its module creates is SQLite (`schemes`: the URL schemes of its
 * `create_engine` literals): SQLAlchemy's database waits become in-process work. Otherwise `entry` itself.
 */
export function onDatabasesOf(name: string, entry: ApiEntry | undefined, schemes: readonly string[] | undefined): ApiEntry | undefined {
  if (!entry || entry.kind !== 'wait' || !name.startsWith('sqlalchemy.')) return entry;
  return schemes && schemes.length > 0 && schemes.every((scheme) => scheme === 'sqlite') ? SQLALCHEMY_ON_SQLITE : entry;
}

/** Methods guessed by name to be database calls (DUCK_METHODS): in a module whose every engine is SQLite, they are SQLite's. */
const DATABASE_DUCK_METHODS = new Set(['connect', 'execute', 'executemany', 'fetchone', 'fetchall', 'fetchmany', 'commit']);

/**
 * The entry for a method called on a value the analysis cannot type (`engine.connect()` of an engine returned in a
 * tuple): a database method's guessed wait is SQLite's in-process work when every engine the module creates is SQLite.
 */
export function duckOnDatabasesOf(method: string, entry: ApiEntry, schemes: readonly string[] | undefined): ApiEntry {
  return DATABASE_DUCK_METHODS.has(method) && schemes && schemes.length > 0 && schemes.every((scheme) => scheme === 'sqlite') ? SQLALCHEMY_ON_SQLITE : entry;
}

/** Every name in `names` of `module`, with one entry. */
function sameEntry(module: string, names: readonly string[], entry: ApiEntry): Record<string, ApiEntry> {
  return Object.fromEntries(names.map((name) => [`${module}.${name}`, entry]));
}

/**
 * Functions of modules whose wildcard says "waits" that compute in memory: address and byte-order
 * conversions, names of things, factories of objects that only wait later.
 */
const PURE_HELPERS_OF_IO_MODULES: Record<string, ApiEntry> = {
  ...sameEntry(
    'socket',
    ['inet_aton', 'inet_ntoa', 'inet_pton', 'inet_ntop', 'htons', 'htonl', 'ntohs', 'ntohl', 'gethostname', 'getdefaulttimeout',
      'setdefaulttimeout', 'if_nameindex', 'if_nametoindex', 'if_indextoname', 'CMSG_LEN', 'CMSG_SPACE', 'socketpair', 'fromfd', 'dup',
      'close', 'timeout'],
    cheap('converts or queries in memory: no network I/O'),
  ),
  ...sameEntry('socket', ['getservbyname', 'getservbyport', 'getprotobyname'], metadata('reads /etc/services or /etc/protocols')),
  ...sameEntry(
    'socket.socket',
    ['setsockopt', 'getsockopt', 'setblocking', 'settimeout', 'gettimeout', 'getblocking', 'fileno', 'getsockname', 'getpeername',
      'close', 'detach', 'shutdown', 'bind', 'listen'],
    cheap('sets or reads a socket option or address: a system call, no network wait'),
  ),
  'urllib.request.build_opener': cheap('builds a URL opener (requests happen at its open())', 'urllib.request.OpenerDirector'),
  'urllib.request.OpenerDirector.open': roundTrip(HTTP, 'http.client.HTTPResponse'),
  'urllib.request.OpenerDirector.*': cheap('configures the opener'),
  ...sameEntry(
    'urllib.request',
    ['install_opener', 'pathname2url', 'url2pathname', 'getproxies', 'HTTPHandler', 'HTTPSHandler', 'HTTPCookieProcessor', 'ProxyHandler',
      'HTTPRedirectHandler', 'HTTPBasicAuthHandler', 'HTTPDigestAuthHandler', 'HTTPPasswordMgr', 'HTTPPasswordMgrWithDefaultRealm',
      'HTTPErrorProcessor', 'BaseHandler', 'UnknownHandler', 'FileHandler', 'DataHandler', 'parse_http_list', 'parse_keqv_list',
      'getproxies_environment', 'proxy_bypass_environment', 'proxy_bypass', 'request_host'],
    cheap('builds an opener\'s part, or parses a header, a path or the proxy settings: requests happen at open()'),
  ),
  // An HTTP client's requests wait; its set-up, configuration and helpers (the rest of the package's wildcard) do not.
  ...sameEntry(
    'requests.Session',
    ['mount', 'close', 'get_adapter', 'prepare_request', 'merge_environment_settings', 'rebuild_auth', 'rebuild_proxies',
      'rebuild_method', 'should_strip_auth', 'get_redirect_target'],
    cheap('configures the session: no request'),
  ),
  ...sameEntry('requests.Session', ['headers.*', 'cookies.*', 'proxies.*', 'params.*', 'hooks.*', 'adapters.*'], cheap('updates the session\'s settings: no request')),
  'requests.Request': cheap('builds a request object (sent later)', 'requests.Request'),
  'requests.Request.*': cheap('prepares the request in memory'),
  'requests.PreparedRequest': cheap('builds a request object (sent later)', 'requests.PreparedRequest'),
  'requests.PreparedRequest.*': cheap('prepares the request in memory'),
  ...sameEntry('urllib3', ['PoolManager', 'ProxyManager', 'HTTPConnectionPool', 'HTTPSConnectionPool'], cheap('creates a connection pool (it connects on the first request)')),
  ...Object.fromEntries(
    ['PoolManager', 'ProxyManager', 'HTTPConnectionPool', 'HTTPSConnectionPool'].flatMap((pool) => [
      ...['request', 'urlopen', 'request_encode_url', 'request_encode_body'].map((method) => [`urllib3.${pool}.${method}`, roundTrip(HTTP, 'urllib3.HTTPResponse')]),
      [`urllib3.${pool}.*`, cheap('connection pool bookkeeping')],
    ]),
  ),
  'urllib3.HTTPResponse.*': wait('reads the response body from the network'),
  'urllib3.Retry': cheap('a retry policy', 'urllib3.Retry'),
  'urllib3.Retry.*': cheap('a retry policy'),
  'urllib3.Timeout': cheap('a timeout policy', 'urllib3.Timeout'),
  'urllib3.Timeout.*': cheap('a timeout policy'),
  'urllib3.util.*': cheap('urllib3 helper: URL, header and policy manipulation'),
};

/**
 * Widely used compiled libraries: which calls release the GIL. "Checked" claims were measured with
 * test/fixtures/gil/check.py on Debian 12's packages (another Python thread keeps running during a call
 * that releases the GIL, and stops during one that holds it); the others cite the library's documentation.
 */
const COMPILED_LIBRARIES: Record<string, ApiEntry> = {
  // bcrypt: the hash runs with the GIL released (checked; bcrypt's Rust core calls allow_threads).
  'bcrypt.hashpw': costing(native('bcrypt hashes with the GIL released'), bcryptSeconds),
  'bcrypt.checkpw': costing(native('bcrypt hashes with the GIL released'), bcryptSeconds),
  'bcrypt.kdf': native('bcrypt key derivation with the GIL released'),
  'bcrypt.gensalt': cheap('draws a salt'),
  // msgpack: its C extension never references PyEval_SaveThread (checked: the GIL is held throughout).
  'msgpack.*': costing(holds('msgpack packs and unpacks in C holding the GIL'), serializedSeconds('py.msgpack_byte', 2e-7, 'binary')),
  // PyYAML: the default loaders are pure Python; the C loaders' parser (_yaml) never releases the GIL and
  // their constructors are Python (checked). Either way the work is bound to the GIL.
  ...sameEntry('yaml', ['CLoader', 'CSafeLoader', 'CFullLoader', 'CUnsafeLoader', 'CDumper', 'CSafeDumper'], cheap('a YAML loader or dumper class (the work happens in load/dump)')),
  ...sameEntry('yaml', ['load', 'safe_load', 'full_load', 'unsafe_load', 'load_all', 'safe_load_all'],
    sized(holds('PyYAML parses and emits under the GIL (pure Python, or its C parser, which never releases it)'), perByte('py.yaml_load_byte', 2e-5))),
  // Its emitter is Python too, about as costly a byte as its parser (~1.6 µs a byte of YAML written, measured): a dump is
  // priced by the values it is given, as json's and pickle's are.
  ...sameEntry('yaml', ['dump', 'safe_dump', 'dump_all', 'safe_dump_all'],
    costing(holds('PyYAML emits in Python under the GIL, value by value'), serializedSeconds('py.yaml_load_byte', 2e-5, 'text'))),
  'yaml.*': holds('PyYAML parses and emits under the GIL (pure Python, or its C parser, which never releases it)'),
  // regex: "releases the GIL during matching on instances of the built-in (immutable) string classes"
  // (regex's documentation; checked on str, with and without concurrent=True).
  // Calls that return every match build a Python object per match, taking the GIL back for each: measured
  // on Debian 12's regex, a findall over 3 MiB with ~100,000 matches ran 4x slower in 4 threads than alone.
  'regex.compile': cheap('compiles a pattern (cached)', 'regex.Pattern'),
  ...sameEntry('regex.Pattern', REGEX_ALL_MATCHES, costing(holds(REGEX_PER_MATCH), scanSeconds(true, true))),
  ...sameEntry('regex', REGEX_ALL_MATCHES, costing(holds(REGEX_PER_MATCH), scanSeconds(true, true))),
  ...sameEntry('regex.Pattern', REGEX_ONE_MATCH, returningMatch('regex', costing(native(REGEX_RELEASES), scanSeconds(false, true)))),
  ...sameEntry('regex', REGEX_ONE_MATCH, returningMatch('regex', costing(native(REGEX_RELEASES), scanSeconds(false, true)))),
  'regex.Pattern.*': costing(native(REGEX_RELEASES), scanSeconds(false, true)),
  // captures(), capturesdict(), starts(), spans(), expand(), group(): they read the match.
  'regex.Match.*': cheap('reads a match'),
  'regex.*': native(REGEX_RELEASES),
  // lxml: "frees the GIL when parsing from disk and memory" with the default parser, and during XPath,
  // validation and XSLT (lxml FAQ, "Can I use threads to concurrently access the lxml API?"; parsing and
  // XPath checked). A parser shared between threads or Python callbacks (resolvers, custom elements) serialize.
  'lxml.etree.fromstring': costing(native('libxml2 parses with the GIL released (default parser)', 'lxml.etree._Element'), parseSeconds('py.lxml_parse_byte')),
  'lxml.etree.XML': native('libxml2 parses with the GIL released (default parser)', 'lxml.etree._Element'),
  'lxml.etree.parse': native('libxml2 reads and parses with the GIL released (default parser)', 'lxml.etree._ElementTree'),
  'lxml.etree.iterparse': costing(holds('parses as the loop asks, building each element it yields in Python objects, holding the GIL'), iterparseSeconds),
  'lxml.etree.XSLT': cheap('compiles a stylesheet', 'lxml.etree.XSLT'),
  'lxml.etree.XSLT.*': native('libxslt transforms with the GIL released'),
  // XPath's node sets are lists of elements (`for event in feed.xpath("//e")`: `event.xpath(…)` is an element's).
  'lxml.etree._Element.xpath': native('libxml2 evaluates XPath with the GIL released', 'lxml.etree._NodeSet'),
  'lxml.etree._ElementTree.xpath': native('libxml2 evaluates XPath with the GIL released', 'lxml.etree._NodeSet'),
  'lxml.etree._NodeSet.__iter__': cheap('an element of a node set', 'lxml.etree._Element'),
  'lxml.etree._Element.*': costing(holds(LXML_ELEMENT, 'lxml.etree._Element'), lxmlElementSeconds),
  // An element's attribute value and a child's text are strings, not elements (`_ttml_ms(p.get("begin"))` then `value.split(":")`).
  ...sameEntry('lxml.etree._Element', ['get', 'findtext'], costing(holds("reads one of the element's strings through its Python proxy, holding the GIL", 'str'), lxmlElementSeconds)),
  'lxml.etree._ElementTree.*': costing(holds(LXML_ELEMENT, 'lxml.etree._Element'), lxmlElementSeconds),
  'lxml.etree.tostring': holds('serializes holding the GIL'),
  // Building a tree: each new element is made through its Python proxy, holding the GIL (as a method of an element is).
  ...sameEntry('lxml.etree', ['Element', 'SubElement'], costing(holds(LXML_ELEMENT, 'lxml.etree._Element'), lxmlElementSeconds)),
  'lxml.html.fromstring': costing(native('libxml2 parses HTML with the GIL released', 'lxml.etree._Element'), parseSeconds('py.lxml_parse_byte')),
  'lxml.html.document_fromstring': costing(native('libxml2 parses HTML with the GIL released', 'lxml.etree._Element'), parseSeconds('py.lxml_parse_byte')),
  // zstandard: compression and decompression release the GIL (checked; python-zstandard's docs).
  'zstandard.ZstdCompressor': cheap('creates a compressor', 'zstandard.ZstdCompressor'),
  'zstandard.ZstdDecompressor': cheap('creates a decompressor', 'zstandard.ZstdDecompressor'),
  // A streaming (de)compressor made by a factory: its compress/decompress calls are priced by the chunk each is given.
  'zstandard.ZstdCompressor.compressobj': cheap('creates a streaming compressor', 'zstandard.ZstdCompressionObj'),
  'zstandard.ZstdDecompressor.decompressobj': cheap('creates a streaming decompressor', 'zstandard.ZstdDecompressionObj'),
  // And a writer or reader that (de)compresses what passes through it to or from a file (`with cctx.stream_writer(out) as
  // packed: packed.write(chunk)`): the same, per chunk.
  'zstandard.ZstdCompressor.stream_writer': cheap('creates a compressing writer', 'zstandard.ZstdCompressionWriter'),
  'zstandard.ZstdCompressor.stream_reader': cheap('creates a compressing reader', 'zstandard.ZstdCompressionReader'),
  'zstandard.ZstdDecompressor.stream_writer': cheap('creates a decompressing writer', 'zstandard.ZstdDecompressionWriter'),
  'zstandard.ZstdDecompressor.stream_reader': cheap('creates a decompressing reader', 'zstandard.ZstdDecompressionReader'),
  'zstandard.ZstdCompressionWriter.*': sized(native(COMPRESS), perByte('py.zstd_compress_byte')),
  'zstandard.ZstdCompressionReader.*': sized(native(COMPRESS), perByte('py.zstd_compress_byte')),
  'zstandard.ZstdDecompressionWriter.*': sized(native(COMPRESS), perByte('py.zlib_decompress_byte')),
  'zstandard.ZstdDecompressionReader.*': sized(native(COMPRESS), perByte('py.zlib_decompress_byte')),
  'zstandard.ZstdCompressionObj.*': sized(native(COMPRESS), perByte('py.zstd_compress_byte')),
  'zstandard.ZstdDecompressionObj.*': sized(native(COMPRESS), perByte('py.zlib_decompress_byte')),
  'zstandard.ZstdCompressor.*': sized(native(COMPRESS), perByte('py.zstd_compress_byte')),
  'zstandard.ZstdDecompressor.*': sized(native(COMPRESS), perByte('py.zlib_decompress_byte')),
  'zstandard.*': sized(native(COMPRESS), perByte('py.zstd_compress_byte')),
  // Brotli and LZ4 (python3-brotli, python3-lz4): compression in C with the GIL released (both binaries reference
  // PyEval_SaveThread); brotli's cost per byte depends on its quality (up to 9 priced as 9; 10 and 11, the default, as 11: ~6x).
  'brotli.compress': sized(native(COMPRESS), brotliSeconds),
  'brotli.decompress': sized(native(COMPRESS), compressSeconds('py.zlib_decompress_byte')),
  // Its streaming objects (brotli.py re-exports _brotli's types): priced by the chunk each call is given; the quality is
  // the constructor's, not read here (priced as up to 9).
  ...sameEntry('brotli', ['Compressor'], cheap('creates a streaming compressor', '_brotli.Compressor')),
  ...sameEntry('_brotli', ['Compressor'], cheap('creates a streaming compressor', '_brotli.Compressor')),
  ...sameEntry('brotli', ['Decompressor'], cheap('creates a streaming decompressor', '_brotli.Decompressor')),
  ...sameEntry('_brotli', ['Decompressor'], cheap('creates a streaming decompressor', '_brotli.Decompressor')),
  '_brotli.Compressor.*': sized(native(COMPRESS), compressSeconds('py.brotli_compress_byte')),
  '_brotli.Decompressor.*': sized(native(COMPRESS), compressSeconds('py.zlib_decompress_byte')),
  'lz4.frame.compress': sized(native(COMPRESS), compressSeconds('py.lz4_compress_byte')),
  'lz4.frame.decompress': sized(native(COMPRESS), compressSeconds('py.zlib_decompress_byte')),
  'lz4.block.compress': sized(native(COMPRESS), compressSeconds('py.lz4_compress_byte')),
  'lz4.block.decompress': sized(native(COMPRESS), compressSeconds('py.zlib_decompress_byte')),
  // lz4.frame's streaming classes are Python over lz4.frame._frame, whose compress_chunk/decompress_chunk release the GIL
  // (its binary references PyEval_SaveThread; 8 MiB in 64 KiB chunks: two threads 1.8x one).
  'lz4.frame.LZ4FrameCompressor': cheap('creates a streaming compressor', 'lz4.frame.LZ4FrameCompressor'),
  'lz4.frame.LZ4FrameDecompressor': cheap('creates a streaming decompressor', 'lz4.frame.LZ4FrameDecompressor'),
  'lz4.frame.LZ4FrameCompressor.*': sized(native(COMPRESS), compressSeconds('py.lz4_compress_byte')),
  'lz4.frame.LZ4FrameDecompressor.*': sized(native(COMPRESS), compressSeconds('py.zlib_decompress_byte')),
  // cryptography: OpenSSL through Rust/cffi with the GIL released for bulk hashing (checked).
  'cryptography.fernet.Fernet': cheap('creates a Fernet key holder', 'cryptography.fernet.Fernet'),
  // Fernet was measured to hold the GIL for most of a call: padding and base64 run under it.
  'cryptography.fernet.Fernet.*': holds(FERNET),
  ...sameEntry('cryptography.fernet.Fernet', ['encrypt', 'decrypt'], costing(holds(`${FERNET}, which it releases at each of its OpenSSL calls`), fernetSeconds)),
  'cryptography.hazmat.primitives.kdf.scrypt.Scrypt': cheap('sets up a key derivation', 'cryptography.hazmat.primitives.kdf.scrypt.Scrypt'),
  ...sameEntry('cryptography.hazmat.primitives.kdf.scrypt.Scrypt', ['derive', 'verify'], costing(native('OpenSSL derives the key (scrypt: memory-hard) with the GIL released'), scryptSeconds)),
  'cryptography.hazmat.primitives.hashes.Hash': cheap('creates a hash context', 'cryptography.hazmat.primitives.hashes.Hash'),
  'cryptography.hazmat.primitives.hashes.Hash.update': sized(native('OpenSSL hashes with the GIL released')),
  'cryptography.hazmat.primitives.hashes.Hash.*': cheap('finishes the hash'),
  // Pillow: decoding, resampling, filters and encoding run in C with the GIL released (ImagingSectionEnter;
  // resize, filter and save checked). Per-pixel access goes through Python.
  'PIL.Image.Image.getpixel': cheap('reads one pixel'),
  'PIL.Image.Image.putpixel': cheap('writes one pixel'),
  'PIL.ImageFilter.*': cheap('describes a filter (the work happens in Image.filter)'),
  // The work of an image operation grows with its pixels: the image's size when the code tells it
  // (`Image.new("RGB", (640, 480))`), else a prior.
  'PIL.Image.new': cheap('allocates an image (the work happens in its operations)', 'PIL.Image.Image'),
  'PIL.Image.Image.save': costing(native('encodes the image in C with the GIL released'), pixelSeconds),
  'PIL.Image.Image.copy': costing(native('copies the image\'s buffer in C with the GIL released', 'PIL.Image.Image'), copySeconds),
  'PIL.Image.Image.load': costing(native('loads the image (decodes it if it was opened from a file) in C with the GIL released'), loadSeconds),
  // getdata() hands out the image's pixel sequence (decoding it first if it was opened from a file, as load() does): the
  // work is in what iterates it. putpalette() sets a palette of 768 bytes (~4 µs measured, whatever the image's size).
  'PIL.Image.Image.getdata': costing(native('hands out the image\'s pixel sequence (decoded first if it was opened from a file)'), loadSeconds),
  'PIL.Image.Image.putpalette': cheap('sets the image\'s palette (768 bytes): no pass over the pixels'),
  'PIL.Image.Image.crop': costing(native('copies the box out of the image in C with the GIL released', 'PIL.Image.Image'), boxSeconds),
  'PIL.Image.Image.filter': costing(native('Pillow image operations run in C with the GIL released', 'PIL.Image.Image'), filterSeconds),
  ...sameEntry('PIL.Image.Image', ['point', 'histogram'], costing(native('Pillow passes over the pixels through a table of levels in C with the GIL released', 'PIL.Image.Image'), levelTableSeconds(false))),
  'PIL.Image.Image.*': costing(native('Pillow image operations run in C with the GIL released', 'PIL.Image.Image'), pixelSeconds),
  // ImageOps is Python over the image's own operations (histogram, point, crop, resize, transpose: C with the GIL
  // released); its Python part is a table of 256 levels a band. Measured: libkit25 LabelProofBatch.proofs (fit, equalize
  // beside filters) two threads 2.0x one.
  ...sameEntry('PIL.ImageOps', ['autocontrast', 'equalize'], costing(native('ImageOps maps the image through a table of levels made from its histogram, in C with the GIL released', 'PIL.Image.Image'), levelTableSeconds(true))),
  'PIL.ImageOps.*': costing(native('ImageOps passes over the image through Pillow\'s operations in C with the GIL released', 'PIL.Image.Image'), imageArgumentSeconds),
  'PIL.ImageDraw.Draw': cheap('a drawing context on an image', 'PIL.ImageDraw.ImageDraw'),
  'PIL.ImageDraw.ImageDraw.*': cheap('draws a shape or a line of text: the pixels it covers'),
  // numpy: ufuncs, sorting and BLAS release the GIL for large arrays (checked: sqrt, sort, matmul); building
  // arrays from Python objects and converting back holds it.
  'numpy.ndarray.item': cheap('reads one element'),
  'numpy.ndarray.tobytes': native('copies the buffer'),
  // pandas: vectorized work runs in numpy and Cython with the GIL released for sorting and group
  // reductions (sort_values and groupby().sum() checked); row-wise Python (apply, iterrows) holds it.
  // BeautifulSoup builds its tree in Python (its parsers call back into it per tag), whatever parser tokenizes.
  'bs4.BeautifulSoup': sized(holds('BeautifulSoup builds its tree in Python, holding the GIL', 'bs4.BeautifulSoup'), perByte('py.bs4_parse_byte', 2e-5)),
  'pandas.read_csv': costing(native('pandas\' C parser tokenizes with the GIL released (it holds it to build Python objects)', 'pandas.DataFrame'), parseSeconds('py.read_csv_byte')),
  'pandas.DataFrame': cheap('wraps arrays in a frame', 'pandas.DataFrame'),
  // pandas' scalars (one date, one duration): made and used in microseconds, not a frame's work.
  ...sameEntry('pandas', ['Timestamp', 'Timedelta', 'Period', 'DateOffset', 'Interval'], cheap('makes one pandas scalar (a date, a duration)', 'pandas.Timestamp')),
  'pandas.Timestamp.*': cheap('a method of one pandas scalar'),
  'pandas.DataFrame.apply': costing(holds('calls a Python function per row or column'), applySeconds),
  'pandas.DataFrame.iterrows': holds('builds a Series per row in Python'),
  'pandas.DataFrame.itertuples': holds('builds a tuple per row'),
  'pandas.DataFrame.to_dict': holds('builds Python objects'),
  // `frame[mask]`, `frame["col"]`, `frame.groupby(k)["col"]`: a column or a filtered frame, still vectorized.
  'pandas.DataFrame.__iter__': cheap('a column or a filtered frame', 'pandas.DataFrame'),
  'pandas.DataFrame.pivot_table': costing(native(PANDAS, 'pandas.DataFrame'), pivotSeconds),
  'pandas.to_timedelta': costing(native(PANDAS, 'pandas.DataFrame'), textParseSeconds(PARSED_TEXT_VALUE_SECONDS.to_timedelta)),
  'pandas.to_datetime': costing(native(PANDAS, 'pandas.DataFrame'), textParseSeconds(PARSED_TEXT_VALUE_SECONDS.to_datetime)),
  'pandas.DataFrame.str.*': costing(holds('pandas string methods run in Python per value, holding the GIL', 'pandas.DataFrame'), pandasStringSeconds),
  'pandas.DataFrame.*': costing(native(PANDAS, 'pandas.DataFrame'), pandasSeconds),
  'pandas.*': costing(native(PANDAS, 'pandas.DataFrame'), pandasSeconds),
  // networkx is pure Python: its algorithms walk the graph's dicts holding the GIL, in time that grows with the graph.
  'networkx.Graph': cheap('creates a graph', 'networkx.Graph'),
  'networkx.DiGraph': cheap('creates a graph', 'networkx.Graph'),
  'networkx.Graph.*': cheap('adds or reads a node or an edge (dict operations)'),
  ...sameEntry('networkx', NETWORKX_ALL_SOURCES, costing(holds('networkx runs shortest paths from every node in Python, holding the GIL'), graphSeconds(ALL_SOURCES_GRAPH_SECONDS))),
  'networkx.*': costing(holds('networkx runs graph algorithms in Python, holding the GIL'), graphSeconds(GRAPH_SECONDS)),
  // AEAD ciphers encrypt and decrypt in OpenSSL with the GIL released.
  'cryptography.hazmat.primitives.ciphers.aead.AESGCM': cheap('creates a cipher', 'cryptography.hazmat.primitives.ciphers.aead.AESGCM'),
  'cryptography.hazmat.primitives.ciphers.aead.AESGCM.generate_key': cheap('draws a key'),
  'cryptography.hazmat.primitives.ciphers.aead.AESGCM.*': costing(native('OpenSSL encrypts or decrypts with the GIL released'), aeadSeconds),
  'cryptography.hazmat.primitives.ciphers.aead.ChaCha20Poly1305': cheap('creates a cipher', 'cryptography.hazmat.primitives.ciphers.aead.ChaCha20Poly1305'),
  'cryptography.hazmat.primitives.ciphers.aead.ChaCha20Poly1305.generate_key': cheap('draws a key'),
  'cryptography.hazmat.primitives.ciphers.aead.ChaCha20Poly1305.*': costing(native('OpenSSL encrypts or decrypts with the GIL released'), aeadSeconds),
  // Python-Markdown converts in Python (about a microsecond a byte of Markdown on this machine's fixtures).
  // Pygments: its lexers match regular expressions token by token and its formatters write each token, in Python.
  'pygments.highlight': sized(holds('Pygments lexes and formats in Python, token by token, holding the GIL'), perByte('py.pygments_byte')),
  'markdown.markdown': sized(holds('Python-Markdown converts in Python, holding the GIL'), perByte('py.markdown_byte')),
  'markdown.Markdown': cheap('creates a Markdown converter', 'markdown.Markdown'),
  'markdown.Markdown.convert': sized(holds('Python-Markdown converts in Python, holding the GIL'), perByte('py.markdown_byte')),
  // Jinja compiles a template to Python code: rendering runs it, holding the GIL.
  'jinja2.Template.render': costing(holds('Jinja renders in Python code compiled from the template, holding the GIL'), templateSeconds),
  'jinja2.Template.generate': costing(holds('Jinja renders in Python code compiled from the template, holding the GIL'), templateSeconds),
  // orjson and ujson serialize holding the GIL (they build or read Python objects throughout).
  'orjson.*': holds('orjson serializes in Rust holding the GIL'),
  'ujson.*': holds('ujson serializes in C holding the GIL'),
  // rapidfuzz: scorers compare one pair in C++ holding the GIL; process.cdist computes the whole matrix
  // with the GIL released (workers= threads) (rapidfuzz's documentation of cdist).
  'rapidfuzz.process.cdist': native('computes the score matrix in C++ with the GIL released'),
  'rapidfuzz.process.*': holds('compares in C++, one Python call per candidate'),
  'rapidfuzz.*': holds('compares strings in C++ holding the GIL (microseconds per pair)'),
};

/**
 * SciPy routines that search or integrate by calling the Python function they are given at every step (an objective,
 * a model, an integrand): that function's Python runs under the GIL once per evaluation, and the routine's own driver
 * (Nelder-Mead, MINPACK's callbacks) holds it between evaluations. Evaluations counted on textbook problems (Rosenbrock
 * in 2 and 4 dimensions, a 4-parameter Hill fit, a line): 9-950, ~100 typical, the unsized loop's prior.
 */
const STEPS_CALL_FUNCTION = 'calls the Python function it is given at every step, holding the GIL';
export const CALLS_FUNCTION_ARGUMENT_PER_STEP: ReadonlySet<string> = new Set([
  ...['minimize', 'minimize_scalar', 'least_squares', 'curve_fit', 'leastsq', 'root', 'root_scalar', 'fsolve', 'brentq', 'brenth', 'bisect', 'newton',
    'differential_evolution', 'basinhopping', 'dual_annealing', 'shgo', 'fmin', 'fmin_bfgs', 'fmin_powell'].map((name) => `scipy.optimize.${name}`),
  ...['quad', 'dblquad', 'solve_ivp', 'odeint'].map((name) => `scipy.integrate.${name}`),
]);
/**
 * Of those, the routines whose function receives the routine's second argument first: SciPy's optimisers and fits
 * (`curve_fit(model, xdata, ydata)` calls `model(xdata, *params)`: numpy over all of xdata at every evaluation;
 * `minimize(fun, x0)` calls `fun(x)` of x0's shape). Not the integrators (`solve_ivp(fun, t_span, y0)` calls `fun(t, y)`).
 */
export const STEP_FUNCTION_TAKES_SECOND_ARGUMENT: ReadonlySet<string> = new Set([...CALLS_FUNCTION_ARGUMENT_PER_STEP].filter((name) => name.startsWith('scipy.optimize.')));

/**
 * SciPy's `solve_ivp` steps in Python (RK45: its own code, numpy on a few numbers, six calls of the right-hand side),
 * holding the GIL: `py.ode_step` a step. Its steps are the span over `max_step` when the code gives one; otherwise
 * ASSUMED_ODE_STEPS (an adaptive step over a smooth model's span).
 */
const ASSUMED_ODE_STEPS = 100;
const odeSeconds: CostFunction = (argument, constants) =>
  argument?.kind === 'int' && argument.value > 0
    ? { seconds: Math.ceil(argument.value) * constants['py.ode_step'] }
    : { seconds: ASSUMED_ODE_STEPS * constants['py.ode_step'], assumed: `~${ASSUMED_ODE_STEPS} steps of the solver assumed` };

export const PYTHON_APIS: Readonly<Record<string, ApiEntry>> = {
  // ---- builtins
  'builtins.open': metadata('opens a file (its reads and writes are the I/O)', 'io.TextIOWrapper'),
  'builtins.input': wait('input() waits for the user'),
  'builtins.print': cheap('print() writes a line to stdout'),
  'builtins.sorted': costing(holds('sorted() compares Python objects in C while holding the GIL'), sortSeconds),
  'builtins.sum': costing(holds('sum() iterates in C while holding the GIL'), perItem),
  'builtins.min': costing(holds('min() iterates in C while holding the GIL'), perItem),
  'builtins.max': costing(holds('max() iterates in C while holding the GIL'), perItem),
  'builtins.any': cheap('any() stops at the first true item'),
  'builtins.all': cheap('all() stops at the first false item'),
  'builtins.eval': holds('eval() compiles and runs Python code'),
  'builtins.exec': holds('exec() compiles and runs Python code'),
  'builtins.compile': holds('compile() parses Python source in C with the GIL held'),
  'builtins.pow': cheap('pow() on numbers'),
  'builtins.*': cheap('a builtin that does little work per call'),
  'str.*': cheap('a str method'),
  'bytes.*': cheap('a bytes method'),
  'set.*': cheap('a set method'),
  'tuple.*': cheap('a tuple method'),
  'int.*': cheap('an int method'),
  'float.*': cheap('a float method'),
  'bytearray.*': cheap('a bytearray method'),
  'list.sort': costing(holds('list.sort() compares Python objects while holding the GIL'), sortSeconds),
  'list.*': cheap('a list method'),
  'dict.*': cheap('a dict method'),

  // ---- files and the OS
  'io.TextIOWrapper.*': costing(wait(FILE_IO), perByte('py.file_read_byte', 2e-5)),
  'io.BufferedReader.*': costing(wait(FILE_IO), perByte('py.file_read_byte', 2e-5)),
  'io.open': metadata('opens a file (its reads and writes are the I/O)', 'io.TextIOWrapper'),
  'io.StringIO': cheap('an in-memory text buffer', 'io.StringIO'),
  'io.StringIO.*': cheap('an in-memory text buffer'),
  'io.BytesIO': cheap('an in-memory byte buffer', 'io.BytesIO'),
  'io.BytesIO.*': cheap('an in-memory byte buffer'),
  'os.read': wait(FILE_IO),
  'os.write': wait(FILE_IO),
  'os.listdir': wait('lists a directory: file system I/O'),
  'os.scandir': wait('lists a directory: file system I/O'),
  'os.walk': wait('walks a directory tree: file system I/O'),
  'os.stat': metadata(STAT),
  'os.remove': metadata('file system call'),
  'os.unlink': metadata('file system call'),
  'os.rename': metadata('file system call'),
  'os.replace': metadata('file system call'),
  'os.makedirs': metadata('file system call'),
  'os.mkdir': metadata('file system call'),
  'os.system': childProcess('runs a shell command and waits for it'),
  'os.popen': childProcess('runs a shell command and waits for it'),
  'os.waitpid': childProcess('waits for a child process'),
  'os.fsync': roundTrip('flushes a file to disk'),
  'os.getenv': cheap('reads an environment variable'),
  'os.path.exists': metadata(STAT),
  'os.path.isfile': metadata(STAT),
  'os.path.isdir': metadata(STAT),
  'os.path.getsize': metadata(STAT),
  'os.path.getmtime': metadata(STAT),
  'os.path.*': cheap('path string manipulation'),
  'os.*': cheap('a small OS query'),
  'pathlib.Path': cheap('builds a path object', 'pathlib.Path'),
  'pathlib.Path.read_text': wait(FILE_IO),
  'pathlib.Path.read_bytes': wait(FILE_IO),
  'pathlib.Path.write_text': wait(FILE_IO),
  'pathlib.Path.write_bytes': wait(FILE_IO),
  'pathlib.Path.open': metadata('opens a file (its reads and writes are the I/O)', 'io.TextIOWrapper'),
  'pathlib.Path.exists': metadata(STAT),
  'pathlib.Path.is_file': metadata(STAT),
  'pathlib.Path.is_dir': metadata(STAT),
  'pathlib.Path.stat': metadata(STAT),
  'pathlib.Path.iterdir': wait('lists a directory: file system I/O'),
  'pathlib.Path.glob': wait('lists directories: file system I/O'),
  'pathlib.Path.rglob': wait('walks directories: file system I/O'),
  'pathlib.Path.mkdir': metadata('file system call'),
  'pathlib.Path.unlink': metadata('file system call'),
  'pathlib.Path.*': cheap('path string manipulation', 'pathlib.Path'),
  'shutil.*': wait('copies or moves files: file system I/O'),
  'glob.*': wait('lists directories: file system I/O'),
  'tempfile.gettempdir': cheap('the temporary directory\'s name'),
  'tempfile.*': wait('creates a temporary file', 'io.TextIOWrapper'),
  'gzip.open': metadata('opens a compressed file', 'gzip.GzipFile'),
  'gzip.GzipFile.*': native('compresses or decompresses in C with the GIL released (and writes or reads the file)'),
  'bz2.open': metadata('opens a compressed file', 'bz2.BZ2File'),
  'bz2.BZ2File.*': native('compresses or decompresses in C with the GIL released (and writes or reads the file)'),
  'lzma.open': metadata('opens a compressed file', 'lzma.LZMAFile'),
  'lzma.LZMAFile.*': native('compresses or decompresses in C with the GIL released (and writes or reads the file)'),
  'csv.reader': holds('csv parsing runs in C holding the GIL'),
  'csv.writer': cheap('creates a csv writer', 'csv.writer'),
  'csv.writer.*': holds('csv formatting runs in C holding the GIL'),
  'csv.DictReader': holds('csv parsing holds the GIL'),
  'csv.*': holds('csv parsing runs in C holding the GIL'),

  // ---- time, processes, synchronisation
  'time.sleep': costing(roundTrip('time.sleep() waits with the GIL released'), sleepSeconds),
  'time.*': cheap('reads a clock'),
  'subprocess.run': childProcess('runs a child process and waits for it'),
  'subprocess.call': childProcess('runs a child process and waits for it'),
  'subprocess.check_call': childProcess('runs a child process and waits for it'),
  'subprocess.check_output': childProcess('runs a child process and waits for its output'),
  'subprocess.getoutput': childProcess('runs a shell command and waits for its output'),
  'subprocess.Popen': cheap('starts a child process', 'subprocess.Popen'),
  ...sameEntry('subprocess.Popen', ['communicate', 'wait'], childProcess('waits for a child process to finish')),
  'subprocess.Popen.*': roundTrip('waits on a child process'),
  'threading.Event.wait': wait('blocks until the event is set'),
  'threading.Thread.join': wait('blocks until the thread ends'),
  'queue.Queue.get': wait('blocks until an item arrives'),
  'queue.Queue.join': wait('blocks until every item is processed'),
  'concurrent.futures.Future.result': wait('blocks until the worker is done'),
  'concurrent.futures.as_completed': wait('blocks until workers are done'),
  'concurrent.futures.wait': wait('blocks until workers are done'),
  ...poolEntries('concurrent.futures.ThreadPoolExecutor', 'creates a thread pool', ['map']),
  ...poolEntries('concurrent.futures.ProcessPoolExecutor', 'creates a process pool', ['map']),
  ...poolEntries('concurrent.futures.InterpreterPoolExecutor', 'creates an interpreter pool', ['map']),
  ...poolEntries('multiprocessing.pool.ThreadPool', 'creates a thread pool', POOL_WAITING_METHODS),
  ...poolEntries('multiprocessing.pool.Pool', 'creates a process pool', POOL_WAITING_METHODS),
  'multiprocessing.Pool': cheap('creates a process pool', 'multiprocessing.pool.Pool'),
  'multiprocessing.Process': cheap('creates a process', 'multiprocessing.Process'),
  'multiprocessing.Process.join': wait('blocks until the process ends'),
  'multiprocessing.Process.*': cheap('process bookkeeping'),
  'threading.Thread': cheap('creates a thread', 'threading.Thread'),
  'threading.Thread.*': cheap('thread bookkeeping'),
  ...daskEntries('distributed'),
  ...daskEntries('dask.distributed'),
  // Called as `Parallel(n_jobs=4)(delayed(f)(x) for x in xs)`: the pool runs the tasks, and the call waits for them.
  'joblib.Parallel': wait('hands the tasks to joblib\'s workers and waits for them', 'joblib.Parallel'),
  'joblib.Parallel.*': cheap('pool bookkeeping'),
  'joblib.delayed': cheap('wraps a task for joblib'),
  'distributed.Client.submit': cheap('hands a task to the Dask cluster', 'distributed.Future'),
  'distributed.Client.map': cheap('hands tasks to the Dask cluster'),
  'distributed.Client.gather': wait('waits for the Dask cluster\'s workers'),
  'distributed.Client.*': roundTrip('a round trip to the Dask scheduler'),
  'distributed.Future.result': wait('waits for the Dask cluster\'s worker'),
  'distributed.Future.*': cheap('future bookkeeping'),
  'distributed.LocalCluster.*': cheap('cluster bookkeeping'),
  'select.*': wait('waits for file descriptors to become ready'),
  'selectors.*': wait('waits for file descriptors to become ready'),

  // ---- network
  'socket.socket': cheap('creates a socket', 'socket.socket'),
  'socket.create_connection': roundTrip(NETWORK, 'socket.socket'),
  'socket.socket.*': costing(roundTrip(NETWORK), perCall('py.socket_roundtrip')),
  'socket.getaddrinfo': roundTrip('DNS lookup waits on the network'),
  'socket.gethostbyname': roundTrip('DNS lookup waits on the network'),
  'socket.*': roundTrip(NETWORK),
  'ssl.*': roundTrip('TLS on a socket: network I/O'),
  'urllib.request.Request': cheap('builds a request object', 'urllib.request.Request'),
  'urllib.request.urlopen': roundTrip(HTTP, 'http.client.HTTPResponse'),
  'urllib.request.urlretrieve': roundTrip(HTTP),
  'urllib.request.*': roundTrip(HTTP),
  'urllib.parse.*': cheap('URL string manipulation'),
  'http.client.HTTPResponse.*': wait('reads the response body from the network'),
  'http.client.HTTPConnection': cheap('creates an HTTP connection object', 'http.client.HTTPConnection'),
  'http.client.HTTPSConnection': cheap('creates an HTTPS connection object', 'http.client.HTTPConnection'),
  'http.client.HTTPConnection.getresponse': roundTrip(HTTP, 'http.client.HTTPResponse'),
  'http.client.HTTPConnection.*': roundTrip(HTTP),
  'requests.Session': cheap('creates an HTTP session', 'requests.Session'),
  'requests.Session.*': roundTrip(HTTP, 'requests.Response'),
  'requests.Response.json': costing(holds('parses JSON in C holding the GIL'), replyJsonSeconds),
  'requests.Response.raise_for_status': cheap('checks the status code'),
  'requests.Response.*': wait('reads the response body from the network'),
  'requests.*': roundTrip(HTTP, 'requests.Response'),
  'httpx.Client': cheap('creates an HTTP client', 'httpx.Client'),
  'httpx.Client.*': roundTrip(HTTP, 'httpx.Response'),
  'httpx.AsyncClient': cheap('creates an async HTTP client', 'httpx.AsyncClient'),
  'httpx.AsyncClient.*': asyncWait('awaitable HTTP request', 'httpx.Response'),
  'httpx.Response.json': holds('parses JSON in C holding the GIL'),
  'httpx.Response.*': cheap('reads the response'),
  'httpx.*': roundTrip(HTTP, 'httpx.Response'),
  'urllib3.*': roundTrip(HTTP),
  'aiohttp.ClientSession': cheap('creates an async HTTP session', 'aiohttp.ClientSession'),
  'aiohttp.ClientSession.*': asyncWait('awaitable HTTP request', 'aiohttp.ClientResponse'),
  'aiohttp.ClientResponse.*': asyncWait('awaitable read of the response body'),
  'aiohttp.*': asyncWait('awaitable HTTP I/O'),
  'smtplib.*': roundTrip('SMTP: waits on the mail server', 'smtplib.SMTP'),
  'ftplib.*': roundTrip('FTP: waits on the server', 'ftplib.FTP'),
  'imaplib.*': roundTrip('IMAP: waits on the server'),
  'poplib.*': roundTrip('POP3: waits on the server'),
  'paramiko.*': roundTrip('SSH: waits on the network'),
  'boto3.client': cheap('creates an AWS client', 'boto3.Client'),
  'boto3.resource': cheap('creates an AWS resource', 'boto3.Client'),
  'boto3.Client.*': roundTrip('AWS API call: waits on the network'),
  'boto3.*': roundTrip('AWS API call: waits on the network'),
  'redis.Redis': cheap('creates a Redis client', 'redis.Redis'),
  'redis.Redis.*': roundTrip('Redis command: waits on the server'),
  'redis.asyncio.*': asyncWait('awaitable Redis command'),
  'redis.*': roundTrip('Redis command: waits on the server', 'redis.Redis'),
  'pymongo.*': roundTrip(DB),

  // ---- databases
  'sqlite3.connect': metadata('opens a database file', 'sqlite3.Connection'),
  'sqlite3.Connection.commit': roundTrip('commit: waits for the disk to confirm the write (fsync)'),
  'sqlite3.Connection.close': cheap('closes the database'),
  'sqlite3.Connection.cursor': cheap('creates a cursor', 'sqlite3.Cursor'),
  'sqlite3.Connection.*': native(SQLITE, 'sqlite3.Cursor'),
  'sqlite3.Cursor.close': cheap('closes the cursor'),
  'sqlite3.Cursor.*': native(SQLITE, 'sqlite3.Cursor'),
  'psycopg.connect': roundTrip('opens a database connection', 'dbapi.Connection'),
  'psycopg2.connect': roundTrip('opens a database connection', 'dbapi.Connection'),
  'pymysql.connect': roundTrip('opens a database connection', 'dbapi.Connection'),
  'dbapi.Connection.cursor': cheap('creates a cursor', 'dbapi.Cursor'),
  'dbapi.Connection.*': roundTrip(DB, 'dbapi.Cursor'),
  'dbapi.Cursor.*': roundTrip(DB),
  'psycopg.*': roundTrip(DB),
  'psycopg2.*': roundTrip(DB),
  'pymysql.*': roundTrip(DB),
  'sqlalchemy.create_engine': cheap('creates an engine', 'sqlalchemy.Engine'),
  'sqlalchemy.Engine.*': roundTrip(DB, 'sqlalchemy.Connection'),
  'sqlalchemy.Connection.*': roundTrip(DB),
  'sqlalchemy.orm.Session': cheap('creates an ORM session', 'sqlalchemy.orm.Session'),
  'sqlalchemy.orm.Session.*': roundTrip(DB),
  'sqlalchemy.orm.sessionmaker': cheap('creates a session factory'),

  // ---- native code that releases the GIL
  'hashlib.sha256': hashing(native(HASH, 'hashlib.Hash')),
  'hashlib.sha1': hashing(native(HASH, 'hashlib.Hash')),
  'hashlib.sha512': hashing(native(HASH, 'hashlib.Hash')),
  'hashlib.md5': hashing(native(HASH, 'hashlib.Hash')),
  'hashlib.blake2b': hashing(native(HASH, 'hashlib.Hash')),
  'hashlib.new': native(HASH, 'hashlib.Hash'),
  'hashlib.file_digest': native('hashes a file with the GIL released', 'hashlib.Hash'),
  'hashlib.pbkdf2_hmac': native('key derivation in C with the GIL released'),
  'hashlib.scrypt': costing(native('key derivation in C with the GIL released'), scryptSeconds),
  'hashlib.Hash.hexdigest': cheap('formats the digest'),
  'hashlib.Hash.digest': cheap('returns the digest', 'bytes'),
  'hashlib.Hash.*': hashing(native(HASH)),
  'hashlib.*': hashing(native(HASH, 'hashlib.Hash')),
  // hmac streams through hashlib (GIL released over 2 KiB); the one-shot hmac.digest() was measured to hold it.
  'hmac.new': costing(holds('creates an HMAC (two OpenSSL hash contexts, set up in Python code)', 'hmac.HMAC'), hmacSeconds),
  'hmac.HMAC.update': hashing(native('HMAC hashes with hashlib, which releases the GIL for buffers over 2 KiB')),
  'hmac.HMAC.*': cheap('finishes the HMAC'),
  'hmac.digest': holds('one-shot HMAC in C holding the GIL'),
  'hmac.compare_digest': cheap('compares two digests'),
  'hmac.*': cheap('HMAC helper'),
  // openpyxl is pure Python: its ZIP members are inflated in C, but parsing their XML into cells holds the GIL
  // (libkit11 import_supplier_price_list, libkit22 asset_register_workbook: threads 1.12x and 1.26x sequential).
  ...sameEntry('openpyxl', ['load_workbook', 'reader.excel.load_workbook'], costing(holds('openpyxl parses a workbook\'s XML into cells in Python, holding the GIL'), workbookReadSeconds)),
  'zipfile.ZipFile': metadata('opens a ZIP archive', 'zipfile.ZipFile'),
  'zipfile.ZipFile.write': native('compresses a file into the archive with zlib/bz2/lzma, GIL released'),
  'zipfile.ZipFile.writestr': native('compresses data into the archive with zlib/bz2/lzma, GIL released'),
  'zipfile.ZipFile.read': native('decompresses a member with zlib/bz2/lzma, GIL released'),
  'zipfile.ZipFile.extract': native('decompresses a member to disk, GIL released'),
  'zipfile.ZipFile.extractall': native('decompresses every member to disk, GIL released'),
  'zipfile.ZipFile.*': cheap('reads the archive\'s directory', 'zipfile.ZipFile'),
  'tarfile.open': metadata('opens a tar archive', 'tarfile.TarFile'),
  'tarfile.TarFile.add': native('archives files (compressed with the GIL released for .gz/.bz2/.xz)'),
  'tarfile.TarFile.extractall': native('extracts files (decompressed with the GIL released for .gz/.bz2/.xz)'),
  'tarfile.TarFile.*': wait(FILE_IO),
  // A checksum reads its buffer once (~0.5 ns a byte), two orders cheaper than compressing it; the GIL is released above 5 KiB.
  ...sameEntry('zlib', ['crc32', 'adler32'], sized(native(CHECKSUM), checksumSeconds)),
  'zlib.compressobj': cheap('creates a streaming compressor', 'zlib.Compress'),
  'zlib.decompressobj': cheap('creates a streaming decompressor', 'zlib.Decompress'),
  'zlib.Compress.*': sized(native(COMPRESS), perByte('py.zlib_compress_byte')),
  'zlib.Decompress.*': sized(native(COMPRESS), perByte('py.zlib_decompress_byte')),
  'zlib.*': sized(native(COMPRESS), perByte('py.zlib_compress_byte')),
  'gzip.compress': sized(native(COMPRESS), perByte('py.zlib_compress_byte')),
  'gzip.decompress': sized(native(COMPRESS), perByte('py.zlib_decompress_byte')),
  'bz2.*': sized(native(COMPRESS), perByte('py.bz2_compress_byte')),
  'lzma.*': sized(native(COMPRESS), perByte('py.lzma_compress_byte')),
  ...sameEntry('numpy', ['float64', 'float32', 'float16', 'int64', 'int32', 'int16', 'int8', 'uint64', 'uint32', 'uint8', 'bool_', 'complex128'], cheap('makes a numpy scalar', 'numpy.float64')),
  ...Object.fromEntries(Object.entries(NUMPY_WRAPPER_CALLS).map(([name, calls]) => [`numpy.${name}`, costing(native(NUMPY, 'numpy.ndarray'), NUMPY_SELECTIONS.has(name) ? numpySelectSeconds(calls) : perElement('py.numpy_elementwise_item', { calls }))])),
  ...Object.fromEntries(Object.entries(LAPACK_SOLVERS).flatMap(([name, solver]) => ['numpy.linalg', 'scipy.linalg'].map((module) => [`${module}.${name}`, costing(native(LAPACK, 'numpy.ndarray'), lapackSeconds(solver))]))),
  ...sameEntry('numpy', [...NUMPY_SELECTIONS].filter((name) => !(name in NUMPY_WRAPPER_CALLS)), costing(native(NUMPY, 'numpy.ndarray'), numpySelectSeconds())),
  ...sameEntry('numpy', NUMPY_SORTS, costing(native(NUMPY, 'numpy.ndarray'), numpySortSeconds)),
  ...sameEntry('numpy', NUMPY_VIEWS, costing(holds(NUMPY_VIEW, 'numpy.ndarray'), viewSeconds)),
  'numpy.*': costing(native(NUMPY, 'numpy.ndarray'), numpySeconds),
  // A random Generator (`rng = np.random.default_rng(seed)`) is not an array: its draws are priced by the array they make
  // (`rng.uniform(18, 38, cells)`), not by their receiver.
  'numpy.random.default_rng': cheap('makes a random Generator', 'numpy.random.Generator'),
  'numpy.random.RandomState': cheap('makes a random generator', 'numpy.random.RandomState'),
  'numpy.random.*': costing(native(NUMPY, 'numpy.ndarray'), drawSeconds),
  'numpy.random.Generator.*': costing(native(NUMPY, 'numpy.ndarray'), drawSeconds),
  'numpy.random.RandomState.*': costing(native(NUMPY, 'numpy.ndarray'), drawSeconds),
  'numpy.dot': costing(native(MATMUL, 'numpy.ndarray'), matmulSeconds),
  'numpy.matmul': costing(native(MATMUL, 'numpy.ndarray'), matmulSeconds),
  'numpy.ndarray.tolist': holds('builds Python objects while holding the GIL'),
  'numpy.ndarray.__matmul__': costing(native(MATMUL, 'numpy.ndarray'), matmulOperatorSeconds),
  ...sameEntry('numpy.ndarray', Object.values(ELEMENT_WISE_METHODS), costing(native(NUMPY, 'numpy.ndarray'), perElement('py.numpy_elementwise_item', { overhead: 'py.numpy_operator_call' }))),
  ...Object.fromEntries(Object.entries(NDARRAY_WRAPPER_CALLS).map(([name, calls]) => [`numpy.ndarray.${name}`, costing(native(NUMPY, 'numpy.ndarray'), arrayMethodSeconds(calls))])),
  ...sameEntry('numpy.ndarray', ['partition', 'argpartition'], costing(native(NUMPY, 'numpy.ndarray'), arrayMethodSeconds(1, numpySelectSeconds()))),
  ...sameEntry('numpy.ndarray', ['sort', 'argsort'], costing(native(NUMPY, 'numpy.ndarray'), arrayMethodSeconds(1, numpySortSeconds))),
  ...sameEntry('numpy.ndarray', [...NUMPY_VIEWS, 'view'], costing(holds(NUMPY_VIEW, 'numpy.ndarray'), viewSeconds)),
  'numpy.ndarray.*': costing(native(NUMPY, 'numpy.ndarray'), arrayMethodSeconds()),
  ...sameEntry('scipy.interpolate', ['griddata', 'LinearNDInterpolator', 'CloughTocher2DInterpolator'], costing(native(TRIANGULATION_FIGHTS, 'numpy.ndarray'), triangulationSeconds)),
  'scipy.*': native('scipy kernels run in C/Fortran and release the GIL', 'numpy.ndarray'),
  'scipy.optimize.linear_sum_assignment': costing(holds('solves the assignment in C++ holding the GIL (its extension module, _lsap, never releases it)'), assignmentSeconds),
  ...Object.fromEntries([...CALLS_FUNCTION_ARGUMENT_PER_STEP].map((name) => [name, holds(STEPS_CALL_FUNCTION)])),
  'scipy.integrate.solve_ivp': costing(holds(STEPS_CALL_FUNCTION), odeSeconds),
  'PIL.Image.open': wait('opens an image file', 'PIL.Image.Image'),
  'PIL.*': costing(native('Pillow image operations run in C with the GIL released', 'PIL.Image.Image'), pixelSeconds),
  'cv2.imread': wait('reads an image file', 'numpy.ndarray'),
  'cv2.imwrite': wait('writes an image file'),
  'cv2.*': native('OpenCV operations run in C++ with the GIL released', 'numpy.ndarray'),
  'torch.*': native('torch kernels run in C++ with the GIL released', 'torch.Tensor'),
  'torch.Tensor.*': native('torch kernels run in C++ with the GIL released', 'torch.Tensor'),

  // ---- C code that holds the GIL
  're.compile': holds('compiles a regular expression while holding the GIL', 're.Pattern'),
  ...sameEntry('re.Pattern', REGEX_ONE_MATCH, returningMatch('re', costing(holds(RE_HOLDS), scanSeconds(false)))),
  ...sameEntry('re', REGEX_ONE_MATCH, returningMatch('re', costing(holds(RE_HOLDS), scanSeconds(false)))),
  ...sameEntry('re', REGEX_ALL_MATCHES, costing(holds(RE_HOLDS), scanSeconds(true))),
  ...sameEntry('re.Pattern', REGEX_ALL_MATCHES, costing(holds(RE_HOLDS), scanSeconds(true))),
  're.Pattern.*': costing(holds(RE_HOLDS), scanSeconds(false)),
  're.Match.*': cheap('reads a match'),
  're.*': holds(RE_HOLDS),
  'json.*': costing(holds('json encodes and decodes in C holding the GIL'), perByte('py.json_loads_byte', 1e-6)),
  ...sameEntry('json', ['dumps', 'dump'], costing(holds('json encodes in C holding the GIL'), serializedSeconds('py.json_dumps_byte', 1e-6, 'text'))),
  'pickle.*': costing(holds('pickle runs in C holding the GIL'), serializedSeconds('py.pickle_dumps_byte', 1e-6, 'binary')),
  'marshal.*': holds('marshal runs in C holding the GIL'),
  ...decimalEntries(),
  'decimal.Decimal.*': holds('decimal arithmetic runs in C holding the GIL', 'decimal.Decimal'),
  'decimal.*': holds('decimal arithmetic runs in C holding the GIL'),
  // The format (first argument) fixes the work: a literal format packs a few fields.
  'struct.pack': sized(holds('struct packs in C holding the GIL')),
  'struct.unpack': sized(holds('struct unpacks in C holding the GIL')),
  'struct.pack_into': sized(holds('struct packs in C holding the GIL')),
  'struct.unpack_from': sized(holds('struct unpacks in C holding the GIL')),
  'struct.iter_unpack': sized(holds('struct unpacks in C holding the GIL')),
  // A compiled Struct packs the fields its format fixes: the work does not grow with the data (but for iter_unpack).
  'struct.Struct': cheap('compiles a struct format', 'struct.Struct'),
  ...sameEntry('struct.Struct', ['pack', 'unpack', 'pack_into', 'unpack_from'], cheap('packs or unpacks the few fields of its format')),
  'struct.Struct.iter_unpack': sized(holds('struct unpacks in C holding the GIL')),
  'struct.*': holds('struct packs and unpacks in C holding the GIL'),
  'itertools.*': holds('itertools iterators run in C holding the GIL'),
  'functools.reduce': holds('reduce() calls back into Python for every item'),
  'functools.*': cheap('function wrapper'),
  'heapq.*': costing(holds('heapq runs in C holding the GIL'), perItem),
  'collections.Counter': costing(holds('Counter counts in C holding the GIL', 'collections.Counter'), perItem),
  'collections.Counter.*': holds('Counter counts in C holding the GIL'),
  // A class made by namedtuple(): calling it builds one tuple (the class is a value the code binds to a name).
  'collections.namedtuple': cheap('creates a tuple class with named fields', 'collections.namedtuple.Class'),
  'collections.namedtuple.Class': cheap('builds a named tuple'),
  'collections.*': cheap('builds a container'),
  'copy.deepcopy': holds('deepcopy walks every object while holding the GIL'),
  'copy.*': cheap('a shallow copy'),
  'base64.*': holds('base64 runs in C holding the GIL'),
  'binascii.*': holds('binascii runs in C holding the GIL'),
  // statistics is Python: mean/stdev/variance sum exact fractions (~0.8 µs an item), medians and quantiles sort.
  ...sameEntry('statistics', ['mean', 'stdev', 'pstdev', 'variance', 'pvariance', 'harmonic_mean'], costing(holds('statistics sums exact fractions in Python, item by item'), exactStatisticsSeconds)),
  ...sameEntry('statistics', ['median', 'median_low', 'median_high', 'median_grouped', 'quantiles', 'mode', 'multimode'], costing(holds('statistics sorts or counts the data in Python'), sortSeconds)),
  'statistics.fmean': costing(holds('fmean() sums floats in C'), perItem),
  'statistics.*': holds('statistics is pure Python arithmetic'),
  'unicodedata.*': cheap('looks up a character'),
  'xml.etree.ElementTree.fromstring': holds('expat parses XML holding the GIL', 'xml.etree.ElementTree.Element'),
  'xml.etree.ElementTree.XML': holds('expat parses XML holding the GIL', 'xml.etree.ElementTree.Element'),
  'xml.etree.ElementTree.parse': holds('reads and parses XML holding the GIL', 'xml.etree.ElementTree.ElementTree'),
  'xml.etree.ElementTree.Element.get': cheap('reads an attribute'),
  'xml.etree.ElementTree.Element.*': holds('ElementTree walks the tree in C holding the GIL', 'xml.etree.ElementTree.Element'),
  'xml.etree.ElementTree.ElementTree.getroot': cheap('the root element', 'xml.etree.ElementTree.Element'),
  'xml.etree.ElementTree.ElementTree.*': holds('ElementTree walks the tree in C holding the GIL', 'xml.etree.ElementTree.Element'),
  'math.*': cheap('C math on one number'),
  'cmath.*': cheap('C math on one number'),
  // random() and getrandbits() are C; the distributions, choice, shuffle and randint are Python in random.py.
  'random.Random': cheap('creates a random generator', 'random.Random'),
  ...sameEntry('random.Random', ['random', 'getrandbits', 'seed'], cheap('draws a pseudo-random number in C')),
  ...sameEntry('random', ['random', 'getrandbits', 'seed'], cheap('draws a pseudo-random number in C')),
  ...sameEntry('random.Random', ['sample'], costing(holds(RANDOM_IN_PYTHON), drawnItemsSeconds(RANDOM_PYTHON_CALLS))),
  ...sameEntry('random', ['sample'], costing(holds(RANDOM_IN_PYTHON), drawnItemsSeconds(RANDOM_PYTHON_CALLS))),
  ...sameEntry('random.Random', ['choices'], costing(holds(RANDOM_IN_PYTHON), drawnItemsSeconds(CHOICE_PYTHON_CALLS))),
  ...sameEntry('random', ['choices'], costing(holds(RANDOM_IN_PYTHON), drawnItemsSeconds(CHOICE_PYTHON_CALLS))),
  'random.Random.*': costing(holds(RANDOM_IN_PYTHON), randomSeconds),
  'random.*': costing(holds(RANDOM_IN_PYTHON), randomSeconds),
  'bisect.*': cheap('a binary search'),
  'operator.*': cheap('an operator function'),
  'dataclasses.*': cheap('dataclass helper'),
  'typing.*': cheap('typing helper'),
  'logging.*': cheap('logging call'),
  'datetime.*': cheap('date arithmetic', 'datetime.datetime'),
  'uuid.*': cheap('creates a UUID'),
  'secrets.*': cheap('draws random bytes'),
  'string.*': cheap('string helper'),
  'textwrap.*': holds('textwrap is pure Python string work'),
  ...emailMessageEntries(),
  'enum.*': cheap('enum helper'),
  'contextlib.*': cheap('context manager helper'),
  'abc.*': cheap('abstract base class helper'),
  'warnings.*': cheap('issues a warning'),
  'sys.*': cheap('interpreter query'),
  'importlib.import_module': cheap('after the first import, a lookup in sys.modules'),
  'importlib.reload': holds('re-runs the module\'s code'),
  'inspect.getsource': wait(FILE_IO),
  'inspect.getsourcelines': wait(FILE_IO),
  'inspect.getsourcefile': metadata(STAT),
  'inspect.stack': holds('builds frame records, reading source files'),
  'inspect.*': cheap('inspects an object\'s attributes'),
  'threading.*': cheap('thread bookkeeping'),
  'queue.*': cheap('queue operation'),

  // ---- asyncio and async libraries
  'asyncio.sleep': costing(asyncWait('asyncio.sleep() yields to the event loop'), sleepSeconds),
  'asyncio.open_connection': asyncWait('awaitable network connection', 'asyncio.StreamReader'),
  'asyncio.StreamReader.*': asyncWait('awaitable socket read'),
  'asyncio.StreamWriter.drain': asyncWait('awaitable socket write'),
  'asyncio.StreamWriter.*': cheap('buffers data for the socket'),
  'asyncio.create_subprocess_exec': costing(asyncWait('awaitable child process', 'asyncio.subprocess.Process'), childSeconds(CHILD_START_SECONDS, UNKNOWN_WORK)),
  'asyncio.create_subprocess_shell': costing(asyncWait('awaitable child process', 'asyncio.subprocess.Process'), childSeconds(CHILD_START_SECONDS, UNKNOWN_WORK)),
  'asyncio.subprocess.Process.*': asyncWait('awaits a child process'),
  'asyncio.to_thread': asyncWait('runs blocking work in a thread without blocking the loop'),
  'asyncio.get_running_loop': cheap('the running event loop', 'asyncio.AbstractEventLoop'),
  'asyncio.get_event_loop': cheap('the event loop', 'asyncio.AbstractEventLoop'),
  'asyncio.AbstractEventLoop.run_in_executor': asyncWait('runs blocking work in an executor (the loop\'s thread pool by default) without blocking the loop'),
  'asyncio.wait_for': asyncWait('awaits with a timeout'),
  'asyncio.gather': cheap('awaits several awaitables together'),
  'asyncio.*': cheap('event loop bookkeeping'),
  'aiofiles.open': asyncWait('awaitable file I/O', 'aiofiles.File'),
  'aiofiles.File.*': asyncWait('awaitable file I/O'),
  'aiofiles.*': asyncWait('awaitable file I/O'),
  'asyncpg.*': asyncWait('awaitable database call', 'asyncpg.Connection'),
  'asyncpg.Connection.*': asyncWait('awaitable database call'),
  'aiosqlite.*': asyncWait('awaitable database call', 'aiosqlite.Connection'),
  'aiosqlite.Connection.*': asyncWait('awaitable database call'),
  ...PURE_HELPERS_OF_IO_MODULES,
  ...COMPILED_LIBRARIES,
};

/**
 * Method names whose meaning is clear even when the receiver's type is not (a parameter without
 * annotation, say). Used only after every typed lookup failed, and with lower confidence.
 */
export const DUCK_METHODS: Readonly<Record<string, ApiEntry>> = {
  ...Object.fromEntries(
    [
      'append', 'extend', 'insert', 'pop', 'popleft', 'appendleft', 'remove', 'clear', 'copy', 'get',
      'setdefault', 'items', 'keys', 'values', 'update', 'add', 'discard', 'split', 'rsplit', 'strip',
      'lstrip', 'rstrip', 'join', 'replace', 'lower', 'upper', 'title', 'capitalize', 'casefold',
      'startswith', 'endswith', 'format', 'encode', 'decode', 'find', 'rfind', 'index', 'count',
      'isdigit', 'isalpha', 'isalnum', 'isspace', 'isupper', 'islower', 'istitle', 'isnumeric', 'isdecimal', 'isascii',
      'isidentifier', 'isprintable', 'swapcase', 'removeprefix', 'removesuffix', 'zfill', 'ljust', 'rjust', 'center', 'partition',
      'rpartition', 'splitlines', 'group', 'groups', 'groupdict', 'span', 'start', 'end', 'isoformat',
      'strftime', 'weekday', 'isoweekday', 'isocalendar', 'total_seconds', 'hexdigest', 'digest', '__init__', 'to_bytes', 'from_bytes',
      'is_integer', 'bit_length', 'most_common', 'translate', 'maketrans', 'debug', 'info', 'warning',
      'error', 'exception', 'put', 'put_nowait', 'get_nowait', 'set', 'is_set', 'acquire', 'release',
      'cancel', 'done', 'add_done_callback',
    ].map((name) => [name, cheap(`.${name}() does little work per call`)]),
  ),
  sort: holds('.sort() compares Python objects while holding the GIL'),
  read: wait('.read() on a file or socket waits for I/O'),
  readline: wait('.readline() on a file or socket waits for I/O'),
  readlines: wait('.readlines() on a file waits for I/O'),
  read_text: wait(FILE_IO),
  read_bytes: wait(FILE_IO),
  write_text: wait(FILE_IO),
  write_bytes: wait(FILE_IO),
  write: wait('.write() on a file or socket waits for I/O'),
  writelines: wait('.writelines() on a file waits for I/O'),
  flush: wait('.flush() writes buffered data out'),
  recv: wait(NETWORK),
  recv_into: wait(NETWORK),
  send: wait(NETWORK),
  sendall: wait(NETWORK),
  accept: wait('.accept() waits for a connection'),
  connect: wait('.connect() waits on the network'),
  fetchone: wait(DB),
  fetchall: wait(DB),
  fetchmany: wait(DB),
  execute: wait(DB),
  executemany: wait(DB),
  commit: wait(DB),
  urlopen: wait(HTTP),
  communicate: wait('waits on a child process'),
  wait: wait('.wait() blocks until something else is done'),
  result: wait('.result() blocks until the work is done'),
};

/** Names Python resolves in `builtins` when no other scope binds them. */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set(
  ('abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex '
    + 'delattr dict dir divmod enumerate eval exec filter float format frozenset getattr globals hasattr hash help '
    + 'hex id input int isinstance issubclass iter len list locals map max memoryview min next object oct open ord '
    + 'pow print property range repr reversed round set setattr slice sorted staticmethod str sum super tuple type '
    + 'vars zip __import__ Exception ValueError TypeError KeyError IndexError RuntimeError OSError StopIteration '
    + 'NotImplementedError AttributeError').split(' '),
);

/**
 * Exception classes by Python's naming convention (`HTTPError`, `RequestException`, `DeprecationWarning`,
 * and the old lower-case aliases `socket.error`, `socket.gaierror`): a wildcard over a module describes
 * what its functions do, never its exception classes, and building an exception does no work.
 */
const EXCEPTION_CLASS_NAME = /^_?[A-Z]\w*(?:Error|Exception|Warning)$/;
const OLD_EXCEPTION_ALIAS = /^(?:h|gai)?error$/;
const EXCEPTION_CLASS: ApiEntry = cheap('an exception class or its method: creating one does no work');

/** `requests.HTTPError`, `json.JSONDecodeError.__init__`, `socket.error`: an exception class below a module, or its method. */
function namesAnExceptionClass(qualifiedName: string): boolean {
  const parts = qualifiedName.split('.');
  if (parts.length > 1 && OLD_EXCEPTION_ALIAS.test(parts[parts.length - 1] as string)) return true;
  return parts.some((part, k) => k > 0 && EXCEPTION_CLASS_NAME.test(part));
}

/** Which entry a qualified name matched: its own, or the wildcard `<prefix>.*` of the nearest module or type above it. */
export interface ApiMatch {
  entry: ApiEntry;
  /** The name the entry is keyed by: the qualified name itself, or the wildcard's prefix. */
  prefix: string;
  wildcard: boolean;
}

/**
 * The standard library's C accelerators that its Python modules re-export (`from _collections import deque` in
 * collections/__init__.py, `from _io import StringIO` in io.py): a name followed through the library's source ends in
 * the C module, which the knowledge base describes under the public module's name.
 */
const C_ACCELERATORS: Readonly<Record<string, string>> = {
  _collections: 'collections', _pickle: 'pickle', _heapq: 'heapq', _bisect: 'bisect', _functools: 'functools', _operator: 'operator',
  _datetime: 'datetime', _struct: 'struct', _csv: 'csv', _io: 'io', _bz2: 'bz2', _lzma: 'lzma',
};

/** `_collections.deque.popleft` -> `collections.deque.popleft` (see `C_ACCELERATORS`); any other name as it is. */
function publicNameOf(qualifiedName: string): string {
  const dot = qualifiedName.indexOf('.');
  const module = dot < 0 ? undefined : own(C_ACCELERATORS, qualifiedName.slice(0, dot));
  return module === undefined ? qualifiedName : `${module}${qualifiedName.slice(dot)}`;
}

/** Looks a qualified name up (by its public name): exact entry first, then exception classes, then the nearest `.*` entry above it. */
export function matchApi(resolvedName: string): ApiMatch | undefined {
  const qualifiedName = publicNameOf(resolvedName);
  const exact = own(PYTHON_APIS, qualifiedName);
  if (exact) return { entry: exact, prefix: qualifiedName, wildcard: false };
  if (namesAnExceptionClass(qualifiedName)) return { entry: EXCEPTION_CLASS, prefix: qualifiedName, wildcard: false };
  let name = qualifiedName;
  for (;;) {
    const dot = name.lastIndexOf('.');
    if (dot < 0) return undefined;
    name = name.slice(0, dot);
    const wildcard = own(PYTHON_APIS, `${name}.*`);
    if (wildcard) return { entry: wildcard, prefix: name, wildcard: true };
  }
}

const NAMESPACES_WITH_ENTRIES: ReadonlySet<string> = new Set(
  Object.keys(PYTHON_APIS).flatMap((key) => {
    const parts = key.split('.');
    return parts.slice(1, -1).map((_, k) => parts.slice(0, k + 2).join('.'));
  }),
);

/** The knowledge base has entries below `name` (`os.path`, `PIL.Image`, `requests.Session`): it describes that namespace itself. */
export function hasEntriesBelow(name: string): boolean {
  return NAMESPACES_WITH_ENTRIES.has(name);
}

/** The entry of a qualified name (see `matchApi`). */
export function lookupApi(qualifiedName: string): ApiEntry | undefined {
  return matchApi(qualifiedName)?.entry;
}
