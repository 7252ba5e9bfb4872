import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisHostClient } from '../../src/core/host/client';
import { probeInterpreter } from '../../src/core/python/interpreter';
import { PYTHON, PYTHON_HOST, tempTree } from './helpers';

const APP = 'import time\n\ndef crunch(n):\n    return sum(i * i for i in range(n))\n\ndef wait():\n    time.sleep(1)\n';

/** A folder `repo` holding app.py, in a temporary folder that also holds `markers` (outside `repo`). */
function repoFolder(): { root: string; folder: string; markers: string; ran: () => string[] } {
  const root = tempTree({ 'repo/app.py': APP });
  const markers = path.join(root, 'markers');
  fs.mkdirSync(markers);
  return { root, folder: path.join(root, 'repo'), markers, ran: () => fs.readdirSync(markers) };
}

/** A repo whose modules shadow what an interpreter started in it imports, each leaving a marker when it runs. */
function hostileFolder(): ReturnType<typeof repoFolder> {
  const repo = repoFolder();
  for (const module of ['json', 'sysconfig', 'os', 'site']) {
    fs.writeFileSync(path.join(repo.folder, `${module}.py`), `open(${JSON.stringify(path.join(repo.markers, module))}, "w").write("ran")\n`);
  }
  return repo;
}

const CLI = path.resolve(__dirname, '..', '..', 'src', 'cli', 'main.js');

interface CliReport {
  interpreter: { path: string; version: string } | null;
  files: Array<{ path: string; functions: Array<{ qualname: string; verdict: string }> }>;
}

/** Runs the compiled CLI's `analyze --json` in `cwd` (the helpers' `cli` runs in the repository). */
function analyzeJson(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): CliReport {
  const result = spawnSync(process.execPath, [CLI, 'analyze', ...args, '--json'], { cwd, env, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as CliReport;
}

function verdicts(report: CliReport, file: string): string[] {
  return (report.files.find((f) => f.path === file)?.functions ?? []).map((fn) => `${fn.qualname}:${fn.verdict}`);
}

describe('isolation: analyzing a folder runs nothing from it (CLI)', () => {
  const made: string[] = [];
  after(() => {
    for (const root of made) fs.rmSync(root, { recursive: true, force: true });
  });

  for (const named of [false, true]) {
    it(`\`analyze .\` inside a folder with json.py, sysconfig.py, os.py, site.py runs none of them (${named ? '--python python3' : 'python3 from the PATH'})`, () => {
      const hostile = hostileFolder();
      made.push(hostile.root);
      const report = analyzeJson(['.', ...(named ? ['--python', PYTHON] : [])], hostile.folder);
      assert.deepEqual(hostile.ran(), [], 'no module of the folder ran');
      assert.ok(report.interpreter, 'the interpreter was still asked');
      assert.deepEqual(verdicts(report, 'app.py'), ['crunch:cpu', 'wait:io']);
    });
  }

  it('the interpreter starts outside the folder analyzed (the folder a pyenv-style shim reads .python-version from)', function () {
    if (process.platform === 'win32') this.skip();
    const repo = repoFolder();
    made.push(repo.root);
    const recorder = path.join(repo.root, 'python-recording-cwd');
    fs.writeFileSync(recorder, `#!/bin/sh\npwd > ${JSON.stringify(path.join(repo.root, 'cwd'))}\nexec ${PYTHON} "$@"\n`, { mode: 0o755 });
    analyzeJson(['.', '--python', recorder], repo.folder);
    const cwd = fs.readFileSync(path.join(repo.root, 'cwd'), 'utf8').trim();
    assert.ok(path.relative(repo.folder, cwd).startsWith('..'), `the probe ran in ${cwd}, inside ${repo.folder}`);
  });

  it('a .python-version in the folder does not choose the interpreter pyenv runs', function () {
    const which = spawnSync('sh', ['-c', `command -v ${PYTHON}`], { encoding: 'utf8' }).stdout.trim();
    if (!which.includes(`${path.sep}shims${path.sep}`)) this.skip(); // not a pyenv shim on this machine
    const repo = repoFolder();
    made.push(repo.root);
    const elsewhere = analyzeJson([path.join(repo.folder, 'app.py')], repo.root).interpreter;
    fs.writeFileSync(path.join(repo.folder, '.python-version'), 'clens-no-such-version\n');
    const inside = analyzeJson(['.'], repo.folder).interpreter;
    assert.ok(inside, 'pyenv did not read the folder\'s .python-version (naming no installed version, it would fail)');
    assert.equal(inside.path, elsewhere?.path);
  });

  it('a relative --python still means the interpreter beside the folder it is typed in (the probe starts elsewhere)', () => {
    const repo = repoFolder();
    made.push(repo.root);
    const executable = spawnSync(PYTHON, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    fs.mkdirSync(path.join(repo.folder, 'venv', 'bin'), { recursive: true });
    fs.symlinkSync(executable, path.join(repo.folder, 'venv', 'bin', 'python'));
    const report = analyzeJson(['.', '--python', path.join('venv', 'bin', 'python')], repo.folder);
    assert.ok(report.interpreter);
  });

  it('bench: a relative --python means the interpreter beside the folder it is typed in, whatever folder the file is in', () => {
    const repo = repoFolder();
    made.push(repo.root);
    const executable = spawnSync(PYTHON, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    fs.mkdirSync(path.join(repo.root, 'venv', 'bin'), { recursive: true });
    fs.symlinkSync(executable, path.join(repo.root, 'venv', 'bin', 'python'));
    const result = spawnSync(process.execPath, [CLI, 'bench', 'repo/app.py:crunch', '--call', 'crunch(1000)', '--tasks', '2', '--modes', 'sequential', '--python', path.join('venv', 'bin', 'python'), '--json'], { cwd: repo.root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const record = JSON.parse(result.stdout) as { interpreter: { path: string }; runs: Array<{ mode: string; error: string | null }> };
    assert.deepEqual(record.runs.map((run) => [run.mode, run.error]), [['sequential', null]]);
    assert.equal(record.interpreter.path, path.join(repo.root, 'venv', 'bin', 'python'));
  });

  it('library source in the user\'s site-packages and in PYTHONPATH folders is still followed (isolation drops both from sys.path)', () => {
    const root = tempTree({
      'app.py': 'import userlib\nimport helper_on_pythonpath\n\ndef via_user_site():\n    userlib.wait()\n\ndef via_pythonpath():\n    helper_on_pythonpath.crunch(50)\n',
      'extra/helper_on_pythonpath.py': 'def crunch(n):\n    return sum(i * i for i in range(n * 100000))\n',
    });
    made.push(root);
    const env = { ...process.env, PYTHONUSERBASE: path.join(root, 'userbase'), PYTHONPATH: path.join(root, 'extra') };
    const userSite = spawnSync(PYTHON, ['-c', 'import site; print(site.getusersitepackages())'], { env, encoding: 'utf8' }).stdout.trim();
    fs.mkdirSync(userSite, { recursive: true });
    fs.writeFileSync(path.join(userSite, 'userlib.py'), 'import time\n\ndef wait():\n    time.sleep(1)\n');
    const report = analyzeJson([path.join(root, 'app.py')], root, env);
    assert.deepEqual(verdicts(report, 'app.py'), ['via_user_site:io', 'via_pythonpath:cpu']);
  });
});

describe('the interpreter probe', () => {
  it('is asked again when PYTHONPATH changed: its folders are part of the sys.path it reports', async () => {
    const saved = process.env.PYTHONPATH;
    const [first, second] = [tempTree({ 'a.py': '' }), tempTree({ 'b.py': '' })];
    try {
      process.env.PYTHONPATH = first;
      assert.ok((await probeInterpreter(PYTHON)).sysPath.includes(first));
      process.env.PYTHONPATH = second;
      const probe = await probeInterpreter(PYTHON);
      assert.ok(probe.sysPath.includes(second) && !probe.sysPath.includes(first), probe.sysPath.join(' '));
    } finally {
      if (saved === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved;
      for (const folder of [first, second]) fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('isolation: where the analysis host starts the interpreter', () => {
  /** An interpreter that writes the folder it was started in to `record`, then runs python3. */
  function recordingInterpreter(root: string, record: string): string {
    const recorder = path.join(root, 'python-recording-cwd');
    fs.writeFileSync(recorder, `#!/bin/sh\npwd > ${JSON.stringify(record)}\nexec ${PYTHON} "$@"\n`, { mode: 0o755 });
    return recorder;
  }

  for (const trusted of [false, true]) {
    it(`${trusted ? 'in the folder given (a trusted workspace\'s, where its .python-version applies)' : 'outside the workspace when given no folder (an untrusted workspace), even when the process runs in it'}`, async function () {
      if (process.platform === 'win32') this.skip();
      const root = tempTree({ 'workspace/app.py': 'def f():\n    pass\n' });
      const workspace = path.join(root, 'workspace');
      const record = path.join(root, 'cwd');
      const previous = process.cwd();
      // Untrusted, as VS Code started from a terminal in the folder (`code .`): the extension host runs in the
      // workspace. Trusted, the folder must come from the option, not from the process.
      if (!trusted) process.chdir(workspace);
      let host: AnalysisHostClient | undefined;
      try {
        host = await AnalysisHostClient.start({
          python: recordingInterpreter(root, record),
          followLibraries: false,
          ...(trusted && { interpreterCwd: workspace }),
        }, PYTHON_HOST);
        assert.ok(host.interpreter, host.warning);
        const cwd = fs.realpathSync(fs.readFileSync(record, 'utf8').trim());
        if (trusted) assert.equal(cwd, fs.realpathSync(workspace));
        else assert.ok(path.relative(fs.realpathSync(workspace), cwd).startsWith('..'), `the probe ran in the workspace: ${cwd}`);
      } finally {
        process.chdir(previous);
        await host?.dispose();
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
