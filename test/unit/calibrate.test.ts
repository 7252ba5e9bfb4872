import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PYTHON } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CALIBRATE = path.join(REPO, 'scripts', 'calibrate.mjs');
const CHECKED_IN = path.join(REPO, 'src', 'core', 'cost', 'calibration.json');

/** The constants of the shared calibration schema (notes/calibration-schema.md) and the unit of each. */
const KNOWN: Readonly<Record<string, string>> = {
  'py.loop_iteration': 'iteration',
  'py.function_call': 'call',
  'py.attribute_access': 'access',
  'py.sort_compare': 'comparison',
  'py.dict_op': 'operation',
  'py.str_concat_byte': 'byte',
  'py.hash_sha256_byte': 'byte',
  'py.hash_md5_byte': 'byte',
  'py.hash_small_call': 'call',
  'py.hmac_call': 'call',
  'py.email_part': 'part',
  'py.email_flatten': 'message',
  'py.decimal_new': 'construction',
  'py.decimal_operation': 'operation',
  'py.decimal_quantize': 'call',
  'py.zlib_compress_byte': 'byte',
  'py.zlib_decompress_byte': 'byte',
  'py.crc32_byte': 'byte',
  'py.aead_byte': 'byte',
  'py.lzma_compress_byte': 'byte',
  'py.bz2_compress_byte': 'byte',
  'py.json_loads_byte': 'byte',
  'py.json_dumps_byte': 'byte',
  'py.re_search_byte': 'byte',
  'py.re_match_item': 'match',
  'py.pickle_dumps_byte': 'byte',
  'py.pickle_loads_byte': 'byte',
  'py.numpy_matmul_flop': 'flop',
  'py.numpy_lu_flop': 'flop',
  'py.numpy_elementwise_item': 'item',
  'py.numpy_draw_item': 'item',
  'py.numpy_select_item': 'item',
  'py.numpy_sort_compare': 'comparison',
  'py.msgpack_byte': 'byte',
  'py.numpy_call': 'call',
  'py.numpy_operator_call': 'call',
  'py.ode_step': 'step',
  'py.lsap_cell': 'cell',
  'py.scrypt_block': 'block',
  'py.scrypt_block_large': 'block',
  'py.pandas_call': 'call',
  'py.pandas_row': 'row',
  'py.pandas_str_row': 'row',
  'py.pandas_apply_row': 'row',
  'py.bcrypt_hash_round': 'round',
  'py.thread_start': 'thread',
  'py.process_spawn_start': 'process',
  'py.thread_pool_task': 'task',
  'py.process_pool_task': 'task',
  'py.process_pool_start': 'pool',
  'py.socket_roundtrip': 'roundtrip',
  'py.file_read_byte': 'byte',
  'py.file_write_byte': 'byte',
  'py.sqlite_row': 'row',
  'py.sqlite_scan_row': 'row',
  'py.sqlalchemy_insert_row': 'row',
  'py.gil_handoff': 'call',
  'py.gil_reacquire_wait': 'second of Python',
  'py.gil_switch_interval': 'switch',
  'py.fork_cow_page': 'page',
  'py.gc_heap_object': 'object',
  'py.fork_gc_object': 'object',
  'py.zstd_compress_byte': 'byte',
  'py.brotli_compress_byte': 'byte',
  'py.lz4_compress_byte': 'byte',
  'py.yaml_load_byte': 'byte',
  'py.read_csv_byte': 'byte',
  'py.lxml_parse_byte': 'byte',
  'py.lxml_element_call': 'call',
  'py.iterparse_record': 'record',
  'py.bs4_parse_byte': 'byte',
  'py.openpyxl_read_byte': 'byte',
  'py.markdown_byte': 'byte',
  'py.pygments_byte': 'byte',
  'py.pillow_pixel': 'pixel',
  'py.pillow_copy_pixel': 'pixel',
  'py.pillow_rank_value': 'value',
  'py.brotli_max_compress_byte': 'byte',
  'py.jinja_render_call': 'call',
  'py.jinja_loop_item': 'item',
  'node.loop_iteration': 'iteration',
  'node.function_call': 'call',
  'node.sort_compare': 'comparison',
  'node.json_parse_byte': 'byte',
  'node.json_stringify_byte': 'byte',
  'node.structured_clone_byte': 'byte',
  'node.worker_start': 'worker',
  'node.child_process_start': 'process',
  'node.hash_sha256_byte': 'byte',
  'node.zlib_deflate_byte': 'byte',
  'node.regex_byte': 'byte',
  'node.socket_roundtrip': 'roundtrip',
  'node.fsync': 'flush',
  'node.modulo': 'operation',
  'node.string_append': 'append',
  'node.worker_load_contention': 'second of load',
  'node.buffer_fill_byte': 'byte',
  'node.random_byte': 'byte',
  'node.load_string_part': 'part',
  'node.load_object': 'object',
  'node.module_load_byte': 'byte',
  'node.module_load_ts_byte': 'byte',
  'node.builtin_import': 'module',
  'node.intl_format': 'call',
  'node.sign': 'call',
  'node.rsa_sign': 'call',
  'node.string_split': 'call',
  'node.date_parse': 'call',
  'node.number_parse': 'call',
  'node.number_format': 'call',
  'node.regex_replace': 'call',
  'node.string_part': 'part',
  'node.loop_object': 'object',
  'node.verify': 'call',
  'node.zlib_deflate_best_byte': 'byte',
  'node.json_parse_large_byte': 'byte',
};

/** Constants of libraries a machine may lack: absent from its file then, never guessed. */
const OPTIONAL = /^py\.(numpy|bcrypt|zstd|markdown|pillow|fork|aead)_/;

interface Constant {
  seconds: number;
  per: string;
  note: string;
}

interface Calibration {
  schema: 1;
  machine: Record<string, unknown>;
  measuredAt: string;
  constants: Record<string, Constant>;
}

/** What is wrong with a calibration document (none: it follows the schema); values are not judged. */
function schemaProblems(document: unknown): string[] {
  const problems: string[] = [];
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(document)) return ['not a JSON object'];
  const keys = Object.keys(document).sort().join(',');
  if (keys !== 'constants,machine,measuredAt,schema') problems.push(`top-level keys ${keys}`);
  if (document.schema !== 1) problems.push(`schema ${String(document.schema)}`);
  if (typeof document.measuredAt !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(document.measuredAt) || Number.isNaN(Date.parse(document.measuredAt))) {
    problems.push(`measuredAt ${String(document.measuredAt)}`);
  }
  const machine = document.machine;
  if (!isObject(machine)) {
    problems.push('no machine');
  } else {
    if (!Number.isInteger(machine.nproc) || (machine.nproc as number) < 1) problems.push(`machine.nproc ${String(machine.nproc)}`);
    for (const field of ['cpu', 'platform', 'arch', 'python', 'pythonExecutable', 'node', 'startMethod']) {
      if (typeof machine[field] !== 'string' || !(machine[field] as string).trim()) problems.push(`machine.${field} ${String(machine[field])}`);
    }
    const load = machine.loadAverage;
    if (!Array.isArray(load) || load.length !== 3 || !load.every((value) => typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      problems.push(`machine.loadAverage ${JSON.stringify(load)}`);
    }
  }
  if (!isObject(document.constants)) return [...problems, 'no constants'];
  for (const [name, constant] of Object.entries(document.constants)) {
    if (!(name in KNOWN)) {
      problems.push(`unknown constant ${name}`);
      continue;
    }
    if (!isObject(constant)) {
      problems.push(`${name} is no object`);
      continue;
    }
    if (typeof constant.seconds !== 'number' || !Number.isFinite(constant.seconds) || constant.seconds <= 0) problems.push(`${name}.seconds ${String(constant.seconds)}`);
    if (constant.per !== KNOWN[name]) problems.push(`${name}.per ${String(constant.per)} (expected ${KNOWN[name]})`);
    if (typeof constant.note !== 'string' || !constant.note.trim()) problems.push(`${name}.note missing`);
  }
  return problems;
}

function calibrate(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CALIBRATE, ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('calibration data (src/core/cost/calibration.json, `npm run calibrate`)', () => {
  const made: string[] = [];
  const temporaryOut = (): string => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clens-calibrate-test-'));
    made.push(folder);
    return path.join(folder, 'calibration.json');
  };
  /** Runs `calibrate --quick` with `args` into a fresh file; returns the document it wrote. */
  const measured = (args: string[]): { document: Calibration; stdout: string } => {
    const out = temporaryOut();
    const result = calibrate(['--quick', ...args, '--out', out]);
    assert.equal(result.status, 0, result.stderr);
    const document = JSON.parse(fs.readFileSync(out, 'utf8')) as Calibration;
    assert.deepEqual(schemaProblems(document), []);
    return { document, stdout: result.stdout };
  };
  after(() => {
    for (const folder of made) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('the checked-in file follows the schema: known names and units, positive finite seconds, the machine it was measured on', () => {
    const document = JSON.parse(fs.readFileSync(CHECKED_IN, 'utf8')) as unknown;
    assert.deepEqual(schemaProblems(document), []);
    const missing = Object.keys(KNOWN).filter((name) => !OPTIONAL.test(name) && !(name in (document as Calibration).constants));
    assert.deepEqual(missing, [], 'every constant whose library comes with Python and Node is in the checked-in file');
  });

  it('the schema check rejects an unknown name, a wrong unit, a zero or infinite value and a machine field missing', () => {
    const valid = JSON.parse(fs.readFileSync(CHECKED_IN, 'utf8')) as Calibration;
    const broken = structuredClone(valid);
    broken.constants['py.guessed_byte'] = { seconds: 1e-9, per: 'byte', note: 'x' };
    (broken.constants['py.loop_iteration'] as Constant).per = 'loop';
    (broken.constants['py.dict_op'] as Constant).seconds = 0;
    (broken.constants['py.thread_start'] as Constant).seconds = Infinity;
    delete broken.machine.cpu;
    assert.deepEqual(schemaProblems(broken).sort(), [
      'machine.cpu undefined',
      'py.dict_op.seconds 0',
      'py.loop_iteration.per loop (expected iteration)',
      'py.thread_start.seconds Infinity',
      'unknown constant py.guessed_byte',
    ]);
  });

  it('the scripts measure exactly the constants of the schema, in its units (--list)', () => {
    const result = calibrate(['--list']);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), KNOWN);
  });

  it('`--quick --only py.loop` writes a valid file holding that one constant, and prints it in a table', function () {
    this.timeout(60_000);
    const { document, stdout } = measured(['--only', 'py.loop']);
    assert.deepEqual(Object.keys(document.constants), ['py.loop_iteration']);
    assert.match(stdout, /^py\.loop_iteration +\d[\d.]* ns\/iteration +for i in range/m);
  });

  it('`--quick --only node.json` writes a valid file holding the three JSON constants', function () {
    this.timeout(60_000);
    const { document } = measured(['--only', 'node.json']);
    assert.deepEqual(Object.keys(document.constants), ['node.json_parse_byte', 'node.json_stringify_byte', 'node.json_parse_large_byte']);
  });

  it('`--only` into an existing file replaces those constants and keeps the others and the machine', function () {
    this.timeout(60_000);
    const out = temporaryOut();
    assert.equal(calibrate(['--quick', '--only', 'node.json', '--out', out]).status, 0);
    const before = JSON.parse(fs.readFileSync(out, 'utf8')) as Calibration;
    const result = calibrate(['--quick', '--only', 'py.loop', '--out', out]);
    assert.equal(result.status, 0, result.stderr);
    const after = JSON.parse(fs.readFileSync(out, 'utf8')) as Calibration;
    assert.deepEqual(schemaProblems(after), []);
    assert.deepEqual(Object.keys(after.constants).sort(), ['node.json_parse_byte', 'node.json_parse_large_byte', 'node.json_stringify_byte', 'py.loop_iteration']);
    assert.deepEqual(after.constants['node.json_parse_byte'], before.constants['node.json_parse_byte']);
    assert.equal(after.measuredAt, before.measuredAt);
    assert.match((after.constants['py.loop_iteration'] as Constant).note, /; measured \S+ at load average [\d. ]+ \(the other constants: /);
  });

  it('a missing interpreter fails with a clear message and writes nothing', () => {
    const out = temporaryOut();
    const missing = path.join(path.dirname(out), 'no-such-python3');
    const result = calibrate(['--quick', '--only', 'py.loop', '--python', missing, '--out', out]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`cannot run the Python interpreter '${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}': not found\\. Name one with --python PATH\\.`));
    assert.equal(fs.existsSync(out), false);
  });

  it('a constant whose library is missing (numpy, bcrypt) is absent from the file, and the table says why', function () {
    this.timeout(90_000);
    // A virtual environment without the system's packages: numpy and bcrypt cannot be imported there.
    const venv = path.join(path.dirname(temporaryOut()), 'venv');
    const created = spawnSync(PYTHON, ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8' });
    assert.equal(created.status, 0, created.stderr);
    const { document, stdout } = measured(['--only', 'py.numpy,py.bcrypt,py.gil', '--python', path.join(venv, 'bin', 'python')]);
    assert.deepEqual(Object.keys(document.constants), ['py.gil_handoff', 'py.gil_reacquire_wait', 'py.gil_switch_interval']);
    assert.match(stdout, /^py\.numpy_matmul_flop +absent +numpy is not installed/m);
    assert.match(stdout, /^py\.bcrypt_hash_round +absent +bcrypt is not installed/m);
  });

  it('freshly measured values stand in the order physics puts them', function () {
    this.timeout(120_000);
    const names = [
      'py.loop_iteration', 'py.hash_sha256_byte', 'py.thread_start', 'py.process_pool_start', 'py.process_spawn_start',
      'node.loop_iteration', 'node.worker_start', 'node.child_process_start',
    ];
    const { document } = measured(['--only', names.join(',')]);
    assert.deepEqual(Object.keys(document.constants).sort(), [...names].sort());
    const seconds = (name: string): number => (document.constants[name] as Constant).seconds;
    const slower = (slow: string, fast: string): void => {
      assert.ok(seconds(slow) > seconds(fast), `${slow} (${seconds(slow)} s) takes longer than ${fast} (${seconds(fast)} s)`);
    };
    slower('py.process_pool_start', 'py.thread_start');
    slower('py.process_spawn_start', 'py.thread_start');
    slower('node.child_process_start', 'node.worker_start');
    slower('py.loop_iteration', 'node.loop_iteration');
    assert.ok(seconds('py.hash_sha256_byte') < 1e-6, `hashing a byte takes under a microsecond (${seconds('py.hash_sha256_byte')} s)`);
  });
});
