import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FunctionReport } from '../../src/core/model';
import { PythonAnalyzer } from '../../src/core/python/analyzer';
import { analyzeTree, DEBIAN_PYTHON, fn, requireDebianModules, tempTree } from './helpers';

async function functionsOf(files: Record<string, string>, file: string, python: string | null, interpreterCwd?: string): Promise<Map<string, FunctionReport>> {
  const reports = await analyzeTree(files, { python, interpreterCwd });
  return new Map((reports.get(file)?.functions ?? []).map((f) => [f.qualname, f]));
}

const evidenceOf = (report: FunctionReport): string => report.evidence.map((e) => e.reason).join('\n');

/**
 * A library folder put on the interpreter's sys.path (through PYTHONPATH, which the probe keeps) for one
 * analysis; `run` gets the folder, to start the interpreter there (probes are cached per command and folder).
 */
async function withLibrary<T>(library: Record<string, string>, run: (root: string) => Promise<T>): Promise<T> {
  const root = tempTree(library);
  const saved = process.env.PYTHONPATH;
  process.env.PYTHONPATH = root;
  try {
    return await run(root);
  } finally {
    if (saved === undefined) delete process.env.PYTHONPATH;
    else process.env.PYTHONPATH = saved;
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const SLUGIFY = `def slugify(text):
    out = []
    for ch in text.lower():
        if ch.isalnum():
            out.append(ch)
        else:
            out.append('-')
    return ''.join(out)
`;

describe('knowledge applies only to the real module it describes', () => {
  for (const python of [null, DEBIAN_PYTHON]) {
    it(`a workspace package named like a known library (requests/) is analyzed from its source (interpreter: ${python ?? 'none'})`, async () => {
      if (python) requireDebianModules(['requests']);
      const files = {
        'requests/__init__.py': '',
        'requests/util.py': SLUGIFY,
        'socket.py': 'def checksum(rows):\n    total = 0\n    for row in rows:\n        total += row * 31 % 7\n    return total\n',
        'app.py': [
          'import socket',
          'import requests.util',
          'from requests.util import slugify',
          '',
          'def titles(names):',
          '    return [slugify(n) for n in names]',
          '',
          'def titles_dotted(names):',
          '    return [requests.util.slugify(n) for n in names]',
          '',
          'def sums(batches):',
          '    return [socket.checksum(b) for b in batches]',
          '',
        ].join('\n'),
      };
      const functions = await functionsOf(files, 'app.py', python);
      for (const name of ['titles', 'titles_dotted', 'sums']) {
        const report = fn(functions, name);
        assert.equal(report.verdict, 'cpu', `${name}: ${evidenceOf(report)}`);
        assert.doesNotMatch(evidenceOf(report), /HTTP|network/, name);
      }
    });
  }

  it('the library found on sys.path keeps its knowledge: a workspace module of another name is not a shadow', async () => {
    const functions = await functionsOf({ 'client.py': 'import socket\n\ndef ping(host):\n    return socket.create_connection((host, 80))\n' }, 'client.py', null);
    assert.equal(fn(functions, 'ping').verdict, 'io');
  });

  it('socket\'s address and byte-order conversions and socket options are not network I/O', async () => {
    const source = [
      'import socket, struct',
      '',
      'def packed(addresses):',
      '    return [socket.inet_aton(a) + struct.pack("!H", socket.htons(p)) for a, p in addresses]',
      '',
      'def readable(blobs):',
      '    return [socket.inet_ntoa(b) for b in blobs]',
      '',
      'def tuned(count):',
      '    sockets = []',
      '    for _ in range(count):',
      '        s = socket.socket()',
      '        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
      '        s.settimeout(3)',
      '        sockets.append(s)',
      '    return sockets',
      '',
    ].join('\n');
    const functions = await functionsOf({ 'addr.py': source }, 'addr.py', null);
    for (const name of ['packed', 'readable', 'tuned']) {
      const report = fn(functions, name);
      assert.notEqual(report.verdict, 'io', `${name}: ${evidenceOf(report)}`);
      assert.doesNotMatch(evidenceOf(report), /network I\/O: the GIL/, name);
    }
  });

  it('exception classes under a wildcard (requests.HTTPError, socket.error, any …Error/…Exception/…Warning) are not I/O', async () => {
    const source = [
      'import requests, socket, urllib3',
      '',
      'def parse_all(values):',
      '    out = []',
      '    for v in values:',
      '        try:',
      '            out.append(int(v))',
      '        except requests.RequestException:',
      '            raise requests.HTTPError(v)',
      '        except socket.error:',
      '            raise socket.gaierror(v)',
      '        except ValueError:',
      '            raise urllib3.exceptions.InsecureRequestWarning(v)',
      '    return out',
      '',
    ].join('\n');
    const report = fn(await functionsOf({ 'errors.py': source }, 'errors.py', null), 'parse_all');
    assert.equal(report.verdict, 'cpu', evidenceOf(report));
    assert.match(evidenceOf(report), /requests\.HTTPError \(in a loop\): an exception class/);
  });

  it('helpers a library re-exports from elsewhere or defines in a submodule are read from its source (requests.utils, requests.compat)', async () => {
    requireDebianModules(['requests']);
    const source = [
      'from requests.utils import quote, requote_uri',
      'from requests.compat import urlparse',
      '',
      'def quoted(names):',
      '    return [quote(n) for n in names]',
      '',
      'def requoted(names):',
      '    return [requote_uri(n) for n in names]',
      '',
      'def hosts(urls):',
      '    return [urlparse(u).netloc for u in urls]',
      '',
    ].join('\n');
    const functions = await functionsOf({ 'urls.py': source }, 'urls.py', DEBIAN_PYTHON);
    for (const name of ['quoted', 'requoted', 'hosts']) {
      const report = fn(functions, name);
      assert.equal(report.verdict, 'cpu', `${name}: ${evidenceOf(report)}`);
      assert.doesNotMatch(evidenceOf(report), /HTTP request/, name);
    }
  });

  it('the requests package opened as a workspace: its string and header helpers are not HTTP requests', async () => {
    requireDebianModules(['requests']);
    const probe = spawnSync(DEBIAN_PYTHON, ['-c', 'import requests.utils; print(requests.utils.__file__)'], { encoding: 'utf8' });
    const utils = probe.stdout.trim();
    const analyzer = await PythonAnalyzer.create({ python: DEBIAN_PYTHON });
    try {
      await analyzer.loadFiles([utils, path.join(path.dirname(utils), 'compat.py')], { workers: 1 });
      const functions = analyzer.fileReport(utils).functions;
      const waiting = functions.filter((f) => f.verdict === 'io' && /HTTP request/.test(evidenceOf(f)));
      assert.deepEqual(waiting.map((f) => f.qualname), []);
      for (const name of ['requote_uri', 'parse_list_header', 'parse_dict_header', 'get_encoding_from_headers']) {
        assert.notEqual(functions.find((f) => f.qualname === name)?.verdict, 'io', name);
      }
    } finally {
      analyzer.dispose();
    }
  });

  it('a json.JSONEncoder\'s encode() is json encoding, not str.encode; io.BytesIO writes are memory', async () => {
    const source = [
      'import io, json',
      '',
      'ENCODER = json.JSONEncoder(sort_keys=True)',
      '',
      'def encode_all(objects):',
      '    return [ENCODER.encode(o) for o in objects]',
      '',
      'def buffered(rows):',
      '    with io.BytesIO() as buffer:',
      '        for row in rows:',
      '            buffer.write(row)',
      '        return buffer.getvalue()',
      '',
    ].join('\n');
    const functions = await functionsOf({ 'enc.py': source }, 'enc.py', null);
    assert.match(evidenceOf(fn(functions, 'encode_all')), /ENCODER\.encode \(in a loop\): json encodes/);
    const buffered = fn(functions, 'buffered');
    assert.equal(buffered.verdict, 'cpu', evidenceOf(buffered));
  });
});

describe('dispatch followed through factories and module globals', () => {
  it('an opener built by urllib.request.build_opener at module level: opener.open(url) waits on HTTP', async () => {
    const source = [
      'import urllib.request',
      '',
      'opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())',
      '',
      'def fetch(url):',
      '    with opener.open(url) as response:',
      '        return response.read()',
      '',
    ].join('\n');
    const report = fn(await functionsOf({ 'fetcher.py': source }, 'fetcher.py', null), 'fetch');
    assert.equal(report.verdict, 'io', evidenceOf(report));
    assert.match(evidenceOf(report), /opener\.open: HTTP request/);
  });

  it('a session made by a factory function and held in a module global: session.get(url) waits on HTTP', async () => {
    const source = [
      'import requests',
      '',
      'def make_session():',
      '    session = requests.Session()',
      '    session.headers.update({"User-Agent": "x"})',
      '    return session',
      '',
      'SESSION = make_session()',
      '',
      'def fetch_all(urls):',
      '    return [SESSION.get(u).text for u in urls]',
      '',
    ].join('\n');
    const functions = await functionsOf({ 'sessions.py': source }, 'sessions.py', null);
    assert.equal(fn(functions, 'fetch_all').verdict, 'io');
    const factory = fn(functions, 'make_session');
    assert.notEqual(factory.verdict, 'io', `configuring a session sends nothing: ${evidenceOf(factory)}`);
  });

  it('a function held in an attribute (self._create_connection = socket.create_connection) is what self._create_connection() calls', async () => {
    const source = [
      'import socket',
      '',
      'class Connection:',
      '    def __init__(self, host):',
      '        self.host = host',
      '        self._create_connection = socket.create_connection',
      '',
      '    def connect(self):',
      '        self.sock = self._create_connection((self.host, 80))',
      '        return self.sock',
      '',
    ].join('\n');
    const report = fn(await functionsOf({ 'connection.py': source }, 'connection.py', null), 'Connection.connect');
    assert.equal(report.verdict, 'io', evidenceOf(report));
  });

  it('a call cycle through other methods (connect -> _tunnel -> send -> connect) is not called a recursive call of the caller', async () => {
    const source = [
      'import socket',
      '',
      'class Connection:',
      '    def __init__(self, host):',
      '        self.host = host',
      '        self.sock = None',
      '',
      '    def _tunnel(self):',
      '        self.send(b"CONNECT")',
      '',
      '    def connect(self):',
      '        self.sock = socket.create_connection((self.host, 80))',
      '        if self.host.startswith("proxy"):',
      '            self._tunnel()',
      '',
      '    def send(self, data):',
      '        if self.sock is None:',
      '            self.connect()',
      '        self.sock.sendall(data)',
      '',
    ].join('\n');
    const report = fn(await functionsOf({ 'tunnel.py': source }, 'tunnel.py', null), 'Connection.connect');
    assert.doesNotMatch(evidenceOf(report), /self\._tunnel: recursive call/);
    assert.equal(report.verdict, 'io', evidenceOf(report));
  });

  it('an awaited async def method of a library class (read from its source) is an awaited coroutine', async () => {
    const library = {
      'asyncclient/__init__.py': [
        'class Client:',
        '    def __init__(self, reader):',
        '        self._reader = reader',
        '',
        '    async def fetch(self, url):',
        '        headers = {}',
        '        for line in url.splitlines():',
        '            for part in line.split(";"):',
        '                headers[part] = len(part)',
        '        return headers, await self._reader.read()',
        '',
      ].join('\n'),
    };
    const source = [
      'import asyncio',
      'import asyncclient',
      '',
      'client = asyncclient.Client(None)',
      '',
      'async def get(url):',
      '    return await client.fetch(url)',
      '',
    ].join('\n');
    const report = await withLibrary(library, async (root) => fn(await functionsOf({ 'app.py': source }, 'app.py', 'python3', root), 'get'));
    assert.equal(report.verdict, 'async-io', evidenceOf(report));
    assert.equal(report.recommendation, 'asyncio');
    assert.match(evidenceOf(report), /awaits a library coroutine/);
  });
});
