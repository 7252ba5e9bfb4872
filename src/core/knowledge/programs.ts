import { own } from '../own';

/**
 * Programs a child process runs, for both languages (`subprocess.run(["gzip", …])`, `create_subprocess_exec("sha1sum",
 * path)`, `execFile("sha256sum", [path])`): a computing program spends CPU in the child, on the machine's cores, while
 * the parent waits; a waiting one waits on the network or a timer. CPU per byte of input: user + system seconds of the
 * child (test/fixtures/measured/child_program_study.py, 3 MB of half log text, half random bytes, Debian 12).
 */

export type ChildProgram = { kind: 'computing'; cpuPerByte: number } | { kind: 'waiting' };

const computing = (cpuPerByte: number): ChildProgram => ({ kind: 'computing', cpuPerByte });
const WAITING: ChildProgram = { kind: 'waiting' };

const PROGRAMS: Readonly<Record<string, ChildProgram>> = {
  sha1sum: computing(2.5e-9),
  sha256sum: computing(3.8e-9),
  sha512sum: computing(3.1e-9),
  md5sum: computing(3e-9),
  b2sum: computing(2.3e-9),
  // Compressors at their usual levels (gzip -1 to -6 alike; xz -1; bzip2's only speed).
  gzip: computing(1.9e-8),
  bzip2: computing(1.2e-7),
  xz: computing(2.1e-7),
  curl: WAITING,
  wget: WAITING,
  sleep: WAITING,
  ssh: WAITING,
  scp: WAITING,
  ping: WAITING,
};

/** Bytes a computing child is assumed to read when the code does not tell (a file of a megabyte): a stated prior. */
export const ASSUMED_CHILD_INPUT_BYTES = 1_000_000;

/** The program a command names (`gzip`, `/usr/bin/gzip`, `gzip -6 -c` of a shell line): its entry, if the table has it. */
export function childProgram(command: string): ChildProgram | undefined {
  return own(PROGRAMS, programName(command));
}

/** The program's own name: the command's first word without its directory. */
export function programName(command: string): string {
  const path = command.trim().split(/\s+/, 1)[0] ?? '';
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * CPU seconds a child running `command` spends on the machine's cores, on `bytes` of input (undefined: the prior);
 * undefined when the program is not a computing one the table knows.
 */
export function childCpuSeconds(command: string | undefined, bytes?: number): { seconds: number; assumed?: string } | undefined {
  if (command === undefined) return undefined;
  const program = childProgram(command);
  if (program?.kind !== 'computing') return undefined;
  if (bytes !== undefined) return { seconds: bytes * program.cpuPerByte };
  return { seconds: ASSUMED_CHILD_INPUT_BYTES * program.cpuPerByte, assumed: `${programName(command)}'s input of ~1 MB assumed` };
}
