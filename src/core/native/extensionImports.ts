import * as fs from 'node:fs';

/**
 * What the binary of a compiled Python extension module imports from the interpreter, read from the
 * file itself (no native addon, no external tool). `Py_BEGIN_ALLOW_THREADS` compiles to a call of
 * `PyEval_SaveThread`: a module whose binary never references it never releases the GIL.
 *
 * Formats: ELF (Linux, the BSDs). Mach-O (macOS `.so`) and PE (Windows `.pyd`) are recognized by their
 * magic and answered as unreadable (null) until a reader for their import tables is added to `READERS`.
 */

/** The C function `Py_BEGIN_ALLOW_THREADS` calls to release the GIL. */
export const RELEASE_GIL_SYMBOL = 'PyEval_SaveThread';

/** Larger files are not read (the biggest extension modules are tens of MiB; their tables are far smaller). */
const MAX_TABLE_BYTES = 32 * 1024 * 1024;
const MAX_CACHED_FILES = 512;

type BinaryFormat = 'elf' | 'mach-o' | 'pe';
/** Reads the names of the undefined (imported) dynamic symbols; null when the file is not of that format after all. */
type ImportReader = (file: FileAt) => Set<string> | null;

const READERS: Partial<Record<BinaryFormat, ImportReader>> = { elf: readElfImports };

interface CachedImports {
  mtimeMs: number;
  size: number;
  imports: ReadonlySet<string> | null;
}
const cache = new Map<string, CachedImports>();

/**
 * The symbols an extension module's binary imports (undefined dynamic symbols), cached by path,
 * modification time and size; null when the file cannot be read or its format has no reader.
 */
export function importedSymbols(file: string): ReadonlySet<string> | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return null;
  }
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.imports;
  const imports = readImports(file, stat.size);
  if (cache.size >= MAX_CACHED_FILES) cache.delete(cache.keys().next().value as string);
  cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, imports });
  return imports;
}

/** True: the binary references `PyEval_SaveThread` (it can release the GIL); false: it never does; null: unreadable. */
export function binaryReleasesGil(file: string): boolean | null {
  const imports = importedSymbols(file);
  return imports === null ? null : imports.has(RELEASE_GIL_SYMBOL);
}

function readImports(file: string, size: number): Set<string> | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const at = new FileAt(fd, size);
    const format = formatOf(at.bytes(0, 4));
    const reader = format ? READERS[format] : undefined;
    return reader ? reader(at) : null;
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

function formatOf(magic: Buffer): BinaryFormat | null {
  if (magic.length < 4) return null;
  if (magic[0] === 0x7f && magic.toString('latin1', 1, 4) === 'ELF') return 'elf';
  const word = magic.readUInt32BE(0);
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(word)) return 'mach-o';
  if (magic[0] === 0x4d && magic[1] === 0x5a) return 'pe';
  return null;
}

/** Bounded reads at offsets of one open file. */
class FileAt {
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  bytes(offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || length > MAX_TABLE_BYTES || offset + length > this.size) {
      throw new RangeError(`read of ${length} bytes at ${offset} is outside the file`);
    }
    const buffer = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const read = fs.readSync(this.fd, buffer, done, length - done, offset + done);
      if (read === 0) throw new RangeError('file ended early');
      done += read;
    }
    return buffer;
  }
}

const SHT_DYNSYM = 11;
const SHN_UNDEF = 0;
const MAX_SECTIONS = 0xff00;

/** ELF: the undefined symbols of the `.dynsym` section (the section header table's SHT_DYNSYM and its linked string table). */
function readElfImports(at: FileAt): Set<string> | null {
  const ident = at.bytes(0, 16);
  const wide = ident[4] === 2;
  const little = ident[5] !== 2;
  if ((ident[4] !== 1 && !wide) || (ident[5] !== 1 && ident[5] !== 2)) return null;
  const header = at.bytes(0, wide ? 64 : 52);
  const fields = new Fields(header, little, wide);
  const sectionOffset = fields.address(wide ? 0x28 : 0x20);
  const sectionSize = fields.u16(wide ? 0x3a : 0x2e);
  const sectionCount = fields.u16(wide ? 0x3c : 0x30);
  if (sectionOffset === 0 || sectionCount === 0 || sectionCount > MAX_SECTIONS || sectionSize < (wide ? 64 : 40)) return null;
  const sections = new Fields(at.bytes(sectionOffset, sectionSize * sectionCount), little, wide);
  const section = (k: number): { type: number; offset: number; size: number; link: number; entrySize: number } => {
    const base = k * sectionSize;
    return wide
      ? { type: sections.u32(base + 4), offset: sections.address(base + 0x18), size: sections.address(base + 0x20), link: sections.u32(base + 0x28), entrySize: sections.address(base + 0x38) }
      : { type: sections.u32(base + 4), offset: sections.u32(base + 0x10), size: sections.u32(base + 0x14), link: sections.u32(base + 0x18), entrySize: sections.u32(base + 0x24) };
  };
  for (let k = 0; k < sectionCount; k++) {
    const symbols = section(k);
    if (symbols.type !== SHT_DYNSYM) continue;
    if (symbols.link >= sectionCount) return null;
    const strings = section(symbols.link);
    const symbolSize = symbols.entrySize || (wide ? 24 : 16);
    const table = new Fields(at.bytes(symbols.offset, symbols.size), little, wide);
    const names = at.bytes(strings.offset, strings.size);
    const imports = new Set<string>();
    for (let offset = 0; offset + symbolSize <= symbols.size; offset += symbolSize) {
      const nameOffset = table.u32(offset);
      const sectionIndex = table.u16(offset + (wide ? 6 : 14));
      if (sectionIndex !== SHN_UNDEF || nameOffset === 0 || nameOffset >= names.length) continue;
      const end = names.indexOf(0, nameOffset);
      imports.add(names.toString('latin1', nameOffset, end < 0 ? names.length : end));
    }
    return imports;
  }
  // No dynamic symbol table in the section headers (stripped of them, or not a shared object): unknown.
  return null;
}

/** Integer fields of one buffer in the file's byte order; 64-bit fields must fit in a double. */
class Fields {
  constructor(
    private readonly buffer: Buffer,
    private readonly little: boolean,
    private readonly wide: boolean,
  ) {}

  u16(offset: number): number {
    return this.little ? this.buffer.readUInt16LE(offset) : this.buffer.readUInt16BE(offset);
  }

  u32(offset: number): number {
    return this.little ? this.buffer.readUInt32LE(offset) : this.buffer.readUInt32BE(offset);
  }

  /** An address or offset: 64 bits in ELFCLASS64, 32 otherwise. */
  address(offset: number): number {
    if (!this.wide) return this.u32(offset);
    const value = this.little ? this.buffer.readBigUInt64LE(offset) : this.buffer.readBigUInt64BE(offset);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('offset too large');
    return Number(value);
  }
}
