/**
 * One timed analysis of a whole tree, in its own process so that its peak memory is its own.
 * Prints one JSON line: { seconds, files, functions, maxRssMB }. With a cache folder (second argument),
 * the analysis reads and fills it, and keeps its reports for the next run.
 */
import { findPythonFiles } from '../../src/core/files';
import { PythonAnalyzer } from '../../src/core/python/analyzer';

async function run(root: string, cacheDirectory: string | undefined): Promise<void> {
  const started = performance.now();
  const files = findPythonFiles([root]);
  const analyzer = await PythonAnalyzer.create({ cacheDirectory });
  await analyzer.loadFiles(files);
  let functions = 0;
  for (const file of files) functions += analyzer.fileReport(file).functions.length;
  analyzer.persistReports();
  const seconds = (performance.now() - started) / 1000;
  analyzer.dispose();
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ seconds, files: files.length, functions, maxRssMB })}\n`);
}

void run(process.argv[2] as string, process.argv[3]);
