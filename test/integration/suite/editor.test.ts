import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { verdictSummary } from '../../../src/core/verdictText';
import { JOBS_FILE } from '../expected';
import { api, waitFor, workspaceFile } from './helpers';

const MISTAKES_FILE = 'mistakes.py';

/**
 * The lens titles of jobs.py. The prediction after the advice depends on the machine's cores: a speedup,
 * or, for a loop over a count the code does not tell, the size above which a pool pays.
 */
const PREDICTED = '( ≈\\d+\\.\\d× on \\d+ cores?)?';
const CPU_LENS = new RegExp(`^\\$\\(flame\\) CPU-bound · (use processes${PREDICTED}|too small: pays off above ~[\\d,]+ items)$`);
const JOBS_LENSES = [
  CPU_LENS,
  new RegExp(`^\\$\\(cloud-download\\) I/O-bound · use threads${PREDICTED}$`),
  new RegExp(`^\\$\\(zap\\) native, releases the GIL · use threads${PREDICTED}$`),
  new RegExp(`^\\$\\(sync\\) async I/O · use asyncio${PREDICTED}$`),
  /^\$\(dash\) too small to parallelize$/,
];
const DISPATCHER_IN_THREADS = '$(server-process) runs its tasks in a thread pool · tasks: CPU-bound → use processes (CL001)';
const DISPATCHER_IN_PROCESSES = '$(server-process) runs its tasks in a process pool · tasks: CPU-bound ✓';

async function open(name: string): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile(name)));
}

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.flatMap((lens) => (lens.command?.command === 'concurrencyLens.showEvidence' ? [lens.command.title] : []));
}

/** Our diagnostics of a file as `RULE@line`, once they match `expected` (publishing follows the analysis). */
async function diagnosticsBecome(uri: vscode.Uri, expected: string[]): Promise<vscode.Diagnostic[]> {
  let seen: string[] = [];
  try {
    return await waitFor(`diagnostics ${expected.join(', ')}`, () => {
      const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Concurrency Lens');
      seen = ours.map((d) => `${typeof d.code === 'object' ? String(d.code.value) : String(d.code)}@${d.range.start.line + 1}`);
      return JSON.stringify(seen) === JSON.stringify(expected) ? ours : undefined;
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(seen)}`);
  }
}

async function quickFixes(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
}

async function revert(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('concurrencyLens').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('code lenses and hover', () => {
  it('puts the verdict, recommendation and predicted speedup above every function of jobs.py', async () => {
    const lens = await api();
    const editor = await open(JOBS_FILE);
    const titles = await waitFor('five verdict lenses', async () => {
      const found = await lensTitles(editor.document.uri);
      return found.length === JOBS_LENSES.length ? found : undefined;
    });
    titles.forEach((title, index) => assert.match(title, JOBS_LENSES[index] as RegExp));
    const report = await lens.getFileReport(editor.document.uri);
    assert.deepEqual(titles, report.functions.map(verdictSummary));
    assert.ok(titles.some((title) => title.includes('≈')), `a predicted speedup in ${JSON.stringify(titles)}`);
  });

  it('puts lenses on a file whose diagnostics were published before it was opened', async () => {
    await (await api()).whenIndexed();
    const editor = await open(MISTAKES_FILE);
    const titles = await waitFor('three lenses on mistakes.py', async () => {
      const found = await lensTitles(editor.document.uri);
      return found.length === 3 ? found : undefined;
    });
    // checksums_in_threads maps CPU work over its own thread pool: a dispatcher, whose pool does not suit its task.
    assert.match(titles[0] ?? '', CPU_LENS);
    assert.equal(titles[1], DISPATCHER_IN_THREADS);
    assert.match(titles[2] ?? '', /^\$\(cloud-download\) I\/O-bound · use threads/);
  });

  it('places each lens on its def line and points it at the evidence', async () => {
    const editor = await open(JOBS_FILE);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)).filter(
      (lens) => lens.command?.command === 'concurrencyLens.showEvidence',
    );
    const report = await (await api()).getFileReport(editor.document.uri);
    assert.deepEqual(lenses.map((lens) => lens.range.start.line + 1), report.functions.map((fn) => fn.line));
    assert.deepEqual(lenses.map((lens) => lens.command?.arguments?.[1]), report.functions.map((fn) => fn.qualname));
  });

  it('follows an edit: a new CPU-bound function gets its lens', async () => {
    const editor = await open(JOBS_FILE);
    try {
      await editor.edit((builder) => builder.insert(new vscode.Position(editor.document.lineCount, 0), '\n\ndef spin(n):\n    while n:\n        n -= 1\n'));
      const titles = await waitFor('six lenses', async () => {
        const found = await lensTitles(editor.document.uri);
        return found.length === 6 ? found : undefined;
      });
      assert.match(titles[5] ?? '', CPU_LENS);
    } finally {
      await revert(editor);
    }
  });

  it('puts Run in threads, Run in processes and Compare beside each verdict', async () => {
    const editor = await open(JOBS_FILE);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    const first = lenses.filter((lens) => lens.range.start.line === lenses[0]?.range.start.line).map((lens) => lens.command?.title);
    assert.match(first[0] ?? '', CPU_LENS);
    assert.deepEqual(first.slice(1), ['Run in threads', 'Run in processes', 'Compare', 'Edit Call…']);
    assert.deepEqual(lenses[1]?.command?.arguments, [editor.document.uri, 'count_primes']);
  });

  it('shows no lens when concurrencyLens.codeLens.enable is false', async () => {
    const editor = await open(JOBS_FILE);
    await setting('codeLens.enable', false);
    try {
      assert.deepEqual(await lensTitles(editor.document.uri), []);
    } finally {
      await setting('codeLens.enable', undefined);
    }
    assert.equal((await lensTitles(editor.document.uri)).length, JOBS_LENSES.length);
  });

  it('hovering a def line shows the verdict, the prediction and the evidence linked to their lines', async () => {
    const editor = await open(JOBS_FILE);
    const report = await (await api()).getFileReport(editor.document.uri);
    const countPrimes = report.functions.find((fn) => fn.name === 'count_primes');
    assert.ok(countPrimes);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(countPrimes.line - 1, 6));
    const text = hovers.flatMap((hover) => hover.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Concurrency Lens/);
    assert.match(text, /CPU-bound · (use processes|too small: pays off above)/);
    // Text in the hover's Markdown is escaped: spaces as &nbsp;, punctuation with a backslash.
    const plain = text.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(plain, /Predicted: .*\(8 calls: sequential [\d.]+ [µm]?s · threads [\d.]+ [µm]?s · processes [\d.]+ [µm]?s\)/);
    const evidence = countPrimes.evidence[0];
    assert.ok(evidence);
    assert.ok(text.includes(`[line ${evidence.line}](`) && text.includes(`#L${evidence.line}`), `a link to line ${evidence.line} in: ${text}`);
  });
});

describe('diagnostics and quick fixes', () => {
  const uri = workspaceFile(MISTAKES_FILE);

  it('publishes the findings of a workspace file before it is opened, with the rule as code linking to its docs', async () => {
    await (await api()).whenIndexed();
    const diagnostics = await diagnosticsBecome(uri, ['CL001@17', 'CL005@21', 'CL004@27']);
    for (const d of diagnostics) {
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.ok(typeof d.code === 'object' && d.code.target.toString().endsWith(`#${String(d.code.value).toLowerCase()}`));
    }
  });

  it('CL005: the quick fix turns time.sleep into await asyncio.sleep and the finding goes away', async () => {
    const editor = await open(MISTAKES_FILE);
    try {
      const [, cl005] = await diagnosticsBecome(uri, ['CL001@17', 'CL005@21', 'CL004@27']);
      assert.ok(cl005);
      const actions = await quickFixes(uri, cl005);
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(fix?.edit, `a preferred fix among ${actions.map((a) => a.title).join(', ')}`);
      assert.equal(fix.title, 'Use await asyncio.sleep(...)');
      assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
      assert.equal(editor.document.lineAt(20).text, '    await asyncio.sleep(delay)');
      await diagnosticsBecome(uri, ['CL001@17', 'CL004@27']);
      const asyncLens = JOBS_LENSES[3] as RegExp;
      await waitFor('the coroutine to be async I/O', async () => (asyncLens.test((await lensTitles(uri))[2] ?? '') ? true : undefined));
      // A pass over the workspace (the views ask for one) keeps the editor's text, not the file on disk.
      await (await api()).workspace.refresh();
      assert.match((await lensTitles(uri))[2] ?? '', asyncLens);
    } finally {
      await revert(editor);
    }
  });

  it('CL001: the quick fix switches to ProcessPoolExecutor, imports included', async () => {
    const editor = await open(MISTAKES_FILE);
    try {
      const [cl001] = await diagnosticsBecome(uri, ['CL001@17', 'CL005@21', 'CL004@27']);
      assert.ok(cl001);
      const fix = (await quickFixes(uri, cl001)).find((a) => a.isPreferred);
      assert.ok(fix?.edit);
      assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
      assert.equal(editor.document.lineAt(3).text, 'from concurrent.futures import ProcessPoolExecutor');
      assert.equal(editor.document.lineAt(15).text, '    with ProcessPoolExecutor() as pool:');
      await diagnosticsBecome(uri, ['CL005@21', 'CL004@27']);
      // The dispatcher's lens follows its pool: its tasks now run where they belong (it does not turn I/O-bound).
      await waitFor('the dispatcher lens to read ✓', async () => ((await lensTitles(uri))[1] === DISPATCHER_IN_PROCESSES ? true : undefined));
    } finally {
      await revert(editor);
    }
  });

  it('CL004: the quick fix wraps the module-level pool in a __main__ guard', async () => {
    const editor = await open(MISTAKES_FILE);
    try {
      const [, , cl004] = await diagnosticsBecome(uri, ['CL001@17', 'CL005@21', 'CL004@27']);
      assert.ok(cl004);
      const fix = (await quickFixes(uri, cl004)).find((a) => a.isPreferred);
      assert.ok(fix?.edit);
      assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
      assert.deepEqual(editor.document.getText().split('\n').slice(26, 28), ['if __name__ == "__main__":', '    POOL = ProcessPoolExecutor(max_workers=2)']);
      await diagnosticsBecome(uri, ['CL001@17', 'CL005@21']);
    } finally {
      await revert(editor);
    }
  });

  it('offers to ignore a finding on its line, which silences it', async () => {
    const editor = await open(MISTAKES_FILE);
    try {
      const [cl001] = await diagnosticsBecome(uri, ['CL001@17', 'CL005@21', 'CL004@27']);
      assert.ok(cl001);
      const ignore = (await quickFixes(uri, cl001)).find((a) => a.title === 'Ignore CL001 on this line');
      assert.ok(ignore?.edit);
      assert.equal(await vscode.workspace.applyEdit(ignore.edit), true);
      assert.equal(editor.document.lineAt(16).text, '        return list(pool.map(checksum, limits))  # concurrency-lens: ignore[CL001]');
      await diagnosticsBecome(uri, ['CL005@21', 'CL004@27']);
    } finally {
      await revert(editor);
    }
  });

  it('the Findings view\'s ignore action adds the comment to an open file without saving it', async () => {
    const editor = await open(MISTAKES_FILE);
    try {
      await vscode.commands.executeCommand('concurrencyLens.ignoreFinding', { uri, line: 27, rule: 'CL004' });
      assert.equal(editor.document.lineAt(26).text, 'POOL = ProcessPoolExecutor(max_workers=2)  # concurrency-lens: ignore[CL004]');
      assert.equal(editor.document.isDirty, true, 'an open file is left for the user to save');
      await diagnosticsBecome(uri, ['CL001@17', 'CL005@21']);
    } finally {
      await revert(editor);
    }
  });

  it('applies concurrencyLens.diagnostics.severity, and diagnostics.enable turns them off', async () => {
    await setting('diagnostics.severity', { CL001: 'error', CL004: 'off' });
    try {
      const [cl001] = await diagnosticsBecome(uri, ['CL001@17', 'CL005@21']);
      assert.equal(cl001?.severity, vscode.DiagnosticSeverity.Error);
    } finally {
      await setting('diagnostics.severity', undefined);
    }
    await diagnosticsBecome(uri, ['CL001@17', 'CL005@21', 'CL004@27']);
    await setting('diagnostics.enable', false);
    try {
      await diagnosticsBecome(uri, []);
    } finally {
      await setting('diagnostics.enable', undefined);
    }
    await diagnosticsBecome(uri, ['CL001@17', 'CL005@21', 'CL004@27']);
  });
});
