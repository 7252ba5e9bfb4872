/**
 * The mocha entry of the Restricted Mode run: VS Code with workspace trust on, opened on an untrusted folder
 * made by test/integration/hostileWorkspace.ts (runInCodeServer.ts runs it after the main suite).
 */
import { runSuiteIn } from '../index';

export function run(): Promise<void> {
  return runSuiteIn(__dirname);
}
