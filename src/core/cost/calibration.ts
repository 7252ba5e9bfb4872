import measured from './calibration.json';
import { own } from '../own';

/**
 * Seconds per unit of the operations the cost model counts, measured on one machine (`npm run calibrate`
 * writes calibration.json) or, for a name the file lacks (numpy or bcrypt missing there), the prior below.
 * Tests pass their own constants (`calibrationFrom`), never the machine's.
 */

export type ConstantName = keyof typeof PRIORS;
export type Constants = Readonly<Record<ConstantName, number>>;

/**
 * Priors: what these cost on a typical 2020s x86-64 core with CPython 3.11 and Node 20, in seconds per
 * the unit named in the comment (order of magnitude; the measured file replaces them).
 */
export const PRIORS = {
  'py.loop_iteration': 3e-8, // iteration of a for loop with a little arithmetic
  'py.function_call': 5e-8, // call of a Python function
  'py.attribute_access': 1.5e-8, // access
  'py.sort_compare': 1.5e-8, // comparison: sorted() per n*log2(n)
  'py.dict_op': 2.5e-8, // operation
  'py.str_concat_byte': 1e-10, // byte
  'py.hash_sha256_byte': 2e-9, // byte (1.6 ns with SHA-NI, 5 ns without)
  'py.hash_md5_byte': 1.6e-9, // byte
  'py.hash_small_call': 4e-7, // call: hashlib.sha256(b'x'*64).hexdigest()
  'py.hmac_call': 1.4e-6, // call: hmac.new(key, b'x'*64, hashlib.sha256).digest(), GIL held
  'py.email_part': 1.4e-4, // part: EmailMessage.set_content / add_alternative of a short text or HTML part (the email package, Python)
  'py.email_flatten': 1.3e-4, // message: EmailMessage.as_bytes() of a message of two parts, ~2 KB (the email package's generator, Python)
  'py.decimal_new': 1e-7, // construction: Decimal('48.50'), Decimal(i) (C, GIL held)
  'py.decimal_operation': 3e-8, // operation: +, -, * on Decimals, or a Decimal and an int (C, GIL held)
  'py.decimal_quantize': 2e-7, // call: amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP) (C, GIL held)
  'py.zlib_compress_byte': 1e-8, // byte, level 6, text-like data
  'py.zlib_decompress_byte': 1e-9, // byte of output
  'py.aead_byte': 4e-10, // byte: AESGCM / ChaCha20Poly1305 encrypt of 1 MiB (OpenSSL, GIL released)
  'py.crc32_byte': 5e-10, // byte: zlib.crc32, zlib.adler32 (a checksum, no compression)
  'py.lzma_compress_byte': 1e-7, // byte
  'py.bz2_compress_byte': 8e-8, // byte
  'py.json_loads_byte': 1e-8, // byte
  'py.json_dumps_byte': 1e-8, // byte of output
  'py.re_search_byte': 1e-9, // byte, simple pattern
  'py.re_match_item': 3e-7, // match: findall/sub/split building a result for each
  'py.pickle_dumps_byte': 2e-9, // byte
  'py.pickle_loads_byte': 3e-9, // byte
  'py.numpy_matmul_flop': 5e-11, // flop, float64 (a multi-threaded BLAS on a few cores)
  'py.numpy_lu_flop': 1e-10, // flop: np.linalg.solve of an n × n float64 system, 2/3 n³ flops of its LU (LAPACK through a multi-threaded BLAS)
  'py.numpy_elementwise_item': 1e-9, // item
  'py.msgpack_byte': 2e-9, // byte of msgpack written
  'py.numpy_draw_item': 5e-9, // item a numpy Generator draws (uniform, integers, random: 4.5-5 ns; normal: 14 ns)
  'py.numpy_select_item': 1.4e-8, // item: np.percentile / median / partition (a copy, then a partition), ~40 element-wise operations' work
  'py.numpy_sort_compare': 5.4e-9, // item and level (n log2 n): np.sort / argsort / unique of float64
  'py.numpy_call': 1e-6, // call: a numpy function's own overhead on a tiny array (argument parsing, a new array), GIL held
  'py.numpy_operator_call': 6e-7, // call: an operator's own overhead on arrays (`a - b`: no numpy function's wrapper), GIL held
  'py.triangulated_point': 2e-5, // scattered point of scipy.interpolate.griddata (linear, cubic): Qhull, a LAPACK factorization per triangle, the evaluation on a grid of 13-70 points a site (scipy_threads_study.py)
  'py.scrypt_block': 2.3e-7, // n x r block: scrypt (OpenSSL's, hashlib's and cryptography's), measured at n = 2**12, r = 8 (4 MB, in cache)
  'py.scrypt_block_large': 6e-7, // n x r block of a scrypt whose memory (128 x r x n bytes) is past the cache: n = 2**15, r = 8 (32 MB)
  'py.lsap_cell': 5e-8, // cell of the cost matrix: scipy.optimize.linear_sum_assignment (C++, GIL held), ~26 ns a cell at a side of 100, ~58 ns at 1,600
  'py.ode_step': 8e-5, // step: SciPy solve_ivp (RK45) with a small right-hand side written in Python, GIL held
  'py.pandas_call': 1.5e-4, // call: a pandas method's own overhead on a small frame (Python code: indexes, dtypes, a new frame), GIL held
  'py.pandas_row': 4e-8, // row of the frame a pandas method works on (group-by, sort, filter, arithmetic, rolling)
  'py.pandas_str_row': 3e-7, // row of a Series a pandas string method (.str.split, .str.lower) works on, in Python
  'py.pandas_apply_row': 3.4e-6, // row of frame.apply(f, axis=1): a Series made per row and f reading a few of its fields, in Python
  'py.bcrypt_hash_round': 6e-5, // 2^cost round unit
  'py.pillow_pixel': 1e-8, // pixel, one Pillow pass over an RGB image: decode, convert, resample, filter or encode
  'py.pillow_copy_pixel': 2e-10, // pixel, Image.copy() of an image in memory (a buffer copy)
  'py.pillow_rank_value': 1e-8, // pixel and value of the window, Image.filter(MedianFilter(n)): a rank filter, holding the GIL
  'py.markdown_byte': 8e-7,
  'py.pygments_byte': 1.2e-6, // byte of source, pygments.highlight() with a regex lexer and the HTML formatter (Pygments 2.14, pure Python) // byte of Markdown, markdown.markdown() (Python-Markdown 3.4, pure Python)
  'py.zstd_compress_byte': 5e-9, // byte, zstandard.ZstdCompressor() (levels 3 to 10) of text-like data
  'py.brotli_compress_byte': 1e-7, // byte, brotli.compress(quality=9) of text-like data (quality 5: 2e-8; 11, the default: 1.5e-6)
  'py.brotli_max_compress_byte': 1.5e-6, // byte, brotli.compress() at its default and highest quality, 11, of text-like data
  'py.lz4_compress_byte': 1.2e-9, // byte, lz4.frame.compress() of text-like data
  'py.lxml_parse_byte': 1e-8, // byte of XML, lxml.etree.fromstring() (libxml2)
  'py.lxml_element_call': 2e-6, // call: an lxml element's get(), findtext(), find() through its Python proxy, GIL held
  'py.iterparse_record': 2.5e-6, // record: lxml.etree.iterparse(path, tag=...) yielding a record element of a few children from a file, GIL held (builder_file_study.py: 4.6-6.3 µs with its loop's element calls)
  'py.yaml_load_byte': 2e-6, // byte of YAML, yaml.load() with the pure-Python SafeLoader (the C loaders: ~8e-7, still building Python objects)
  'py.openpyxl_read_byte': 9.4e-7, // byte of .xlsx, openpyxl.load_workbook(read_only=True) then iter_rows(values_only=True) over every row (openpyxl 3.0, pure Python)
  'py.bs4_parse_byte': 5e-7, // byte of HTML, BeautifulSoup(markup, "html.parser") (the tree is built in Python)
  'py.jinja_render_call': 1e-5, // call: Template.render() of a short template of a few variables (Jinja2 3.1)
  'py.jinja_loop_item': 5e-6, // item: a template's loop step over a row of a few fields, output escaped (Jinja2 3.1)
  'py.read_csv_byte': 3e-8, // byte of CSV, pandas.read_csv() with the C parser (a few columns of numbers and short strings)
  'py.thread_start': 8e-4, // thread: start + join after the process freed memory (as a pool's threads start), wall time
  'py.process_spawn_start': 5e-2, // process
  'py.thread_pool_task': 3e-5, // task: submit + result
  'py.process_pool_task': 2e-4, // task: submit + result, pool started
  'py.process_pool_start': 5e-2, // pool: ProcessPoolExecutor(2) (fork) created, 8 trivial tasks, shut down; wall time
  'py.fork_cow_page': 3.1e-5, // page: 4 KiB of the parent's objects a forked worker writes first (copy-on-write of refcounts), in a task that builds objects from them
  'py.gc_heap_object': 2e-7, // tracked object walked by one full garbage collection (the heap of a program's imports)
  'py.fork_gc_object': 4e-6, // tracked object a forked worker inherited, at its first full collection (its page copied on write)
  'py.socket_roundtrip': 3e-5, // roundtrip: loopback TCP of 100 bytes
  'py.file_read_byte': 3e-10, // byte, page cache
  'py.file_write_byte': 1e-9, // byte, no fsync
  'py.sqlite_row': 2e-6, // row: insert in one transaction
  'py.sqlite_scan_row': 1e-6, // row: read by a GROUP BY over a table in a file (page cache), GIL released
  'py.sqlalchemy_insert_row': 2e-6, // row: of a list SQLAlchemy Core inserts into SQLite (an executemany), GIL held
  'py.gil_handoff': 5e-6, // call: a GIL-releasing call in a pool of threads, the lock handed over and back (both fitted to thread_handoff_study.py's idle table)
  'py.gil_reacquire_wait': 0.25, // second of Python between a task's GIL-releasing calls (up to 500 µs of it): the wait for the lock back while other threads run theirs
  'py.gil_switch_interval': 5e-3, // switch: sys.getswitchinterval()
  'node.loop_iteration': 2e-9,
  'node.function_call': 5e-9,
  'node.sort_compare': 2e-8,
  'node.json_parse_byte': 4e-9,
  'node.json_stringify_byte': 4e-9,
  'node.structured_clone_byte': 1e-8, // byte of JSON size, to a worker and back
  'node.worker_start': 3e-2, // worker: new Worker + first message
  'node.child_process_start': 5e-2, // process: fork() + first message
  'node.hash_sha256_byte': 2e-9,
  'node.zlib_deflate_byte': 1e-8,
  'node.regex_byte': 1e-9,
  'node.socket_roundtrip': 5e-5,
  'node.fsync': 5e-3, // flush: fs.fsyncSync of a small write (the disk's own; wall time)
  'node.modulo': 1.5e-8, // operation: `%` of numbers beyond int32 (V8's fmod)
  'node.string_append': 2e-7, // append: `s += c` in a loop, the string kept (a new cons string that survives young-generation GC)
  'node.worker_load_contention': 0.4, // second of load: extra wall time of each of two workers loading a module side by side (memory, GC helper threads), per second of its load alone
  'node.buffer_fill_byte': 3e-9, // byte: Buffer.alloc(n, fill), fresh memory
  'node.random_byte': 3e-10, // byte: crypto.randomBytes
  'node.load_string_part': 4e-7, // interpolated part of a template literal built at a module's load (kept)
  'node.load_object': 4e-7, // object literal built at a module's load (kept)
  'node.module_load_byte': 5e-8, // byte of a JavaScript module's source, required in a new worker
  'node.module_load_ts_byte': 5e-8, // byte of a TypeScript module's source, loaded in a new worker as the harness hands it over
  'node.builtin_import': 1e-3, // module: a core module required in a new worker
  'node.intl_format': 1.5e-6, // call: Intl.DateTimeFormat's formatToParts of a date, the formatter made once (ICU, a time zone's rules)
  'node.sign': 4e-5, // call: crypto.sign of a short message with an ECDSA P-256 key (Ed25519 ~25 µs)
  'node.rsa_sign': 1.8e-3, // call: crypto.sign of a short message with an RSA-3072 key (RSA-2048 ~0.27 ms, RSA-4096 ~4 ms: rsa_sign_study)
  'node.verify': 7e-5, // call: crypto.verify of a short message's ECDSA P-256 signature (RSA-2048 ~20 µs)
  'node.json_parse_large_byte': 9e-9, // byte of JSON beyond its first megabyte, JSON.parse (larger texts cost more per byte: V8's heap grows)
  'node.zlib_deflate_best_byte': 5e-8, // byte: zlib.deflateSync at level 9 (8 alike) of CSV rows or JSON records (fields that repeat; ~3x level 6)
  'node.string_split': 2.8e-7, // call: row.split(',') of a CSV row of 8 fields and ~70 characters (string_parse_study.mjs)
  'node.date_parse': 1.9e-7, // call: new Date(text) or Date.parse of an ISO 8601 date-time
  'node.number_parse': 5e-8, // call: parseFloat, parseInt or Number of a short numeric text
  'node.number_format': 1.2e-7, // call: number.toFixed(2) (String(number) ~70 ns)
  'node.regex_replace': 1.8e-7, // call: text.replace(/-/g, '_') of a short word
  'node.string_part': 5e-8, // part: an interpolated part of a template literal made per item of a loop, kept until joined (loop_body_study.mjs)
  'node.loop_object': 8e-8, // object: an object literal of a few properties made per item of a loop, kept
} as const;

export interface CalibrationFile {
  schema: number;
  machine?: Record<string, unknown>;
  measuredAt?: string;
  constants: Record<string, { seconds: number; per?: string; note?: string }>;
}

/** The constants of a calibration file, the priors standing in for names it lacks or gives no positive number for. */
export function calibrationFrom(file: Partial<CalibrationFile> | undefined): Constants {
  const constants: Record<string, number> = { ...PRIORS };
  const given = file?.schema === 1 ? file.constants : undefined;
  if (given) {
    for (const name of Object.keys(PRIORS)) {
      const seconds = own(given, name)?.seconds;
      if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) constants[name] = seconds;
    }
  }
  return constants as Constants;
}

let machine: Constants | undefined;

/** This build's constants: the checked-in calibration.json over the priors. */
export function machineCalibration(): Constants {
  machine ??= calibrationFrom(measured as Partial<CalibrationFile>);
  return machine;
}
