import { own } from '../own';

/**
 * Programs a child process runs, for both languages (`subprocess.run(["gzip", …])`, `create_subprocess_exec("sha1sum",
 * path)`, `execFile("sha256sum", [path])`): a computing program spends CPU in the child, on the machine's cores, while
 * the parent waits; a waiting one waits on the network or a timer. CPU per byte of input: user + system seconds of the
 * child (test/fixtures/measured/child_program_study.py on 3 MB of log text, Debian 12's tools).
 */

/** `drawnPerByte`: a compressor's CPU per byte of text drawn at random (words of a small vocabulary, random digits), where
 *  it differs from records whose fields repeat (test/fixtures/typescript/compressor_input_study.py). */
export type ChildProgram = { kind: 'computing'; cpuPerByte: number; drawnPerByte?: number } | { kind: 'waiting' };

const computing = (cpuPerByte: number, drawnPerByte?: number): ChildProgram => ({ kind: 'computing', cpuPerByte, ...(drawnPerByte !== undefined && { drawnPerByte }) });
const WAITING: ChildProgram = { kind: 'waiting' };

const PROGRAMS: Readonly<Record<string, ChildProgram>> = {
  sha1sum: computing(2.8e-9),
  sha256sum: computing(3.5e-9),
  sha512sum: computing(2.9e-9),
  md5sum: computing(3e-9),
  b2sum: computing(2.4e-9),
  // Compressors on text at their default level (gzip -6: -1 is half of it), bzip2's only one, and xz at -1 (its default -6
  // is several times slower); on random bytes xz -1 spends 13 times as much (the study's --mixed).
  // On text drawn at random (compressor_input_study.py, random words and CSV of random decimals, 2 MB): gzip -6 52-58 ns a
  // byte (4x), bzip2 -9 62-88 (half as much: its sort has fewer long repeats to sort), xz -1 61-129 (3-6x).
  gzip: computing(1.4e-8, 5.5e-8),
  bzip2: computing(1.4e-7, 7.5e-8),
  xz: computing(1.6e-8, 6.2e-8),
  // grep with an extended, case-blind pattern of a few words; sort of lines (GNU sort, in memory).
  grep: computing(2.5e-9),
  sort: computing(1.5e-8),
  curl: WAITING,
  wget: WAITING,
  sleep: WAITING,
  ssh: WAITING,
  scp: WAITING,
  ping: WAITING,
};

/**
 * Bytes a computing child is assumed to read when the code does not tell: a stated prior, the middle of what the
 * measured fixtures hand their command-line tools (a 2 MB log to a 48 MB export; most 2.5 to 5 MB).
 */
export const ASSUMED_CHILD_INPUT_BYTES = 4_000_000;

/** The program a command names (`gzip`, `/usr/bin/gzip`, `gzip -6 -c` of a shell line): its entry, if the table has it. */
export function childProgram(command: string): ChildProgram | undefined {
  return own(PROGRAMS, programName(command));
}

/** The program's own name: the command's first word without its directory. */
export function programName(command: string): string {
  const path = command.trim().split(/\s+/, 1)[0] ?? '';
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Seconds a child process takes to start (fork, exec, the program's own start-up): milliseconds. */
export const CHILD_START_SECONDS = 5e-3;

/**
 * A run, waited for, of a program the table does not know (a command-line tool's work on a file): its start-up plus a
 * short command, tens of milliseconds (5 ms to seconds).
 */
export const CHILD_RUN_SECONDS = 5e-2;

/**
 * One run of a child process running `command` on `bytes` of input (undefined: the prior), `drawn` at random or not: for a
 * computing program the table knows, its start and its CPU (`childCpu`, on the machine's cores while the caller waits); for
 * any other, `otherwise` seconds.
 */
export function childRun(command: string | undefined, otherwise: number, bytes?: number, drawn = false): { seconds: number; childCpu?: number; assumed?: string; why?: string } {
  const program = command === undefined ? undefined : childProgram(command);
  if (command === undefined || program === undefined) return { seconds: otherwise };
  const name = programName(command);
  if (program.kind === 'waiting') return { seconds: otherwise, why: `runs ${name}, which waits (the network, a timer) in the child process` };
  const cpu = (bytes ?? ASSUMED_CHILD_INPUT_BYTES) * (drawn ? (program.drawnPerByte ?? program.cpuPerByte) : program.cpuPerByte);
  return {
    seconds: CHILD_START_SECONDS + cpu,
    childCpu: cpu,
    ...(bytes === undefined && { assumed: `${name}'s input of ~${ASSUMED_CHILD_INPUT_BYTES / 1e6} MB assumed` }),
    why: `runs ${name}, which computes in the child process, on the machine's cores`,
  };
}
