/** What the analyzer must say about test/fixtures/workspace/jobs.py (used by the integration suite and the e2e smoke). */
import type { Recommendation, Verdict } from '../../src/core/model';

export const JOBS_FILE = 'jobs.py';

export const JOBS_EXPECTED: ReadonlyArray<{ name: string; verdict: Verdict; recommendation: Recommendation }> = [
  { name: 'count_primes', verdict: 'cpu', recommendation: 'processes' },
  { name: 'fetch', verdict: 'io', recommendation: 'threads' },
  { name: 'digest', verdict: 'native', recommendation: 'threads' },
  { name: 'poll', verdict: 'async-io', recommendation: 'asyncio' },
  { name: 'add', verdict: 'trivial', recommendation: 'sequential' },
];
