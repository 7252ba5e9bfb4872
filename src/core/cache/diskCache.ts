import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as zlib from 'node:zlib';

/**
 * A content-addressed store on disk for what the analyzer derives from a file's text (its facts), so
 * that a window opened again, or a library read again, is not parsed again. Keys are digests of the
 * text and of the code that derived the value (`version`): new analyzer code never reads old entries.
 * Every entry carries its own length and checksum: a corrupt, partial or foreign entry is deleted and
 * reported as missing, never trusted. The store keeps itself under `maxBytes` by deleting the entries
 * used longest ago. Writes go through a temporary file and a rename, so concurrent writers (the
 * analysis workers) never expose half an entry.
 */
export class DiskCache {
  private readonly root: string;
  /** Bytes in the store, counted on the first write (undefined until then). */
  private bytes: number | undefined;
  private failed = false;

  constructor(
    directory: string,
    /** The code's identity: entries written by other code are invisible. */
    private readonly version: string,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {
    this.root = path.join(directory, `v${FORMAT}`);
  }

  /** The key of a value derived from `text` by the kind of derivation `kind` (e.g. "python-facts"). */
  key(kind: string, text: string): string {
    return crypto.createHash('sha256').update(this.version).update('\0').update(kind).update('\0').update(text).digest('hex');
  }

  get<T>(key: string): T | undefined {
    if (this.failed) return undefined;
    const file = this.fileOf(key);
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      return undefined;
    }
    const value = decode<T>(data, key);
    if (value === undefined) {
      this.remove(file);
      return undefined;
    }
    touch(file);
    return value;
  }

  set(key: string, value: unknown): void {
    if (this.failed) return;
    const file = this.fileOf(key);
    const data = encode(value, key);
    const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(temporary, data);
      fs.renameSync(temporary, file);
    } catch {
      // A read-only or full disk: the cache is an optimization, the analysis goes on without it.
      this.failed = true;
      this.remove(temporary);
      return;
    }
    this.bytes = (this.bytes ?? this.measure()) + data.length;
    if (this.bytes > this.maxBytes) this.evict();
  }

  /** Deletes every entry. */
  clear(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
    this.bytes = 0;
  }

  private fileOf(key: string): string {
    return path.join(this.root, key.slice(0, 2), key.slice(2));
  }

  private entries(): Array<{ file: string; size: number; used: number }> {
    const entries: Array<{ file: string; size: number; used: number }> = [];
    let folders: string[];
    try {
      folders = fs.readdirSync(this.root);
    } catch {
      return entries;
    }
    for (const folder of folders) {
      let names: string[];
      try {
        names = fs.readdirSync(path.join(this.root, folder));
      } catch {
        continue;
      }
      for (const name of names) {
        const file = path.join(this.root, folder, name);
        try {
          const stat = fs.statSync(file);
          entries.push({ file, size: stat.size, used: stat.mtimeMs });
        } catch {
          // Deleted meanwhile by another process.
        }
      }
    }
    return entries;
  }

  private measure(): number {
    return this.entries().reduce((sum, entry) => sum + entry.size, 0);
  }

  /** Deletes the entries used longest ago until the store is at EVICT_TO of its bound. */
  private evict(): void {
    const entries = this.entries().sort((a, b) => a.used - b.used);
    let bytes = entries.reduce((sum, entry) => sum + entry.size, 0);
    for (const entry of entries) {
      if (bytes <= this.maxBytes * EVICT_TO) break;
      this.remove(entry.file);
      bytes -= entry.size;
    }
    this.bytes = bytes;
  }

  private remove(file: string): void {
    try {
      fs.rmSync(file, { force: true });
    } catch {
      // Already gone, or not ours to delete.
    }
  }
}

/** Bumped when the entry layout changes (the folder name carries it). */
const FORMAT = 1;
const MAGIC = Buffer.from('CLC1');
/** Magic, payload length (4 bytes), CRC-32 of the payload (4 bytes), the key (32 bytes). */
const HEADER = MAGIC.length + 4 + 4 + 32;
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
const EVICT_TO = 0.8;

function encode(value: unknown, key: string): Buffer {
  const payload = v8.serialize(value);
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(payload.length, MAGIC.length);
  header.writeUInt32LE(zlib.crc32(payload), MAGIC.length + 4);
  Buffer.from(key, 'hex').copy(header, MAGIC.length + 8);
  return Buffer.concat([header, payload]);
}

/** The value in `data`, or undefined when the entry is not a whole, intact entry for `key`. */
function decode<T>(data: Buffer, key: string): T | undefined {
  if (data.length < HEADER || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const length = data.readUInt32LE(MAGIC.length);
  if (data.length !== HEADER + length) return undefined;
  if (!data.subarray(MAGIC.length + 8, HEADER).equals(Buffer.from(key, 'hex'))) return undefined;
  const payload = data.subarray(HEADER);
  if (zlib.crc32(payload) !== data.readUInt32LE(MAGIC.length + 4)) return undefined;
  try {
    return v8.deserialize(payload) as T;
  } catch {
    return undefined;
  }
}

/** Marks an entry used now (eviction goes by it). */
function touch(file: string): void {
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    // Deleted meanwhile: it was read already.
  }
}

/** Where the command line keeps its cache: `$XDG_CACHE_HOME/concurrency-lens`, else `~/.cache/concurrency-lens`. */
export function defaultCacheDirectory(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'concurrency-lens');
}

/**
 * A digest of the code in `directory` (its .js files but the TS/JS analyzer's, which no Python facts come
 * from; with `recursive`, those of its folders too but the TS/JS analyzer's): the `version` of entries
 * that code derives. In the bundle that is the bundled files; compiled file by file, every module beside
 * the caller.
 */
export function codeDigest(directory: string, recursive = false): string {
  const hash = crypto.createHash('sha256');
  const pending = [''];
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    const items = fs.readdirSync(path.join(directory, folder), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const item of items) {
      const relative = path.join(folder, item.name);
      if (item.isDirectory()) {
        if (recursive && item.name !== 'typescript') pending.push(relative);
      } else if (item.name.endsWith('.js') && !item.name.startsWith('typescript')) {
        hash.update(relative).update('\0').update(fs.readFileSync(path.join(directory, relative)));
      }
    }
  }
  return hash.digest('hex');
}
