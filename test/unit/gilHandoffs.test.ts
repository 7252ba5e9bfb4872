import * as assert from 'node:assert/strict';
import { analyzeModule } from './helpers';

/**
 * Compiled calls that release the GIL at every search whatever the size of their data (regex): on short data the release
 * outlasts the work and threads queue for the GIL, a hand-off each time; calls that hold the GIL on short data (zlib's
 * checksums) are not priced as released.
 */
async function predicted(source: string): Promise<Map<string, { verdict: string; evidence: string; sequential: number; threads: number }>> {
  const functions = await analyzeModule(source, { python: null });
  return new Map([...functions.values()].map((report) => {
    const seconds = report.predicted?.seconds;
    return [report.qualname, { verdict: report.verdict, evidence: report.evidence.map((e) => e.reason).join(' | '), sequential: seconds?.sequential ?? 0, threads: seconds?.threads ?? 0 }];
  }));
}

describe('GIL hand-offs per call on short data', () => {
  it('regex: findall on short lines hands the GIL over at each match and at the search that ends it: slower in threads than in one; re\'s findall (it never releases the GIL) is not', async () => {
    const results = await predicted(
      [
        'import re',
        'import regex',
        '',
        'WORD = regex.compile(r"\\w+")',
        'PLAIN_WORD = re.compile(r"\\w+")',
        'LINES = [f"T{k:07d} NTS {k % 9000} ok" for k in range(90_000)]',
        '',
        'def words(i):',
        '    return sum(len(WORD.findall(line)) for line in LINES)',
        '',
        'def plain_words(i):',
        '    return sum(len(PLAIN_WORD.findall(line)) for line in LINES)',
        '',
      ].join('\n'),
    );
    const words = results.get('words');
    assert.ok((words?.threads ?? 0) > 1.5 * (words?.sequential ?? Infinity), `threads ${words?.threads} against sequential ${words?.sequential}: ${words?.evidence}`);
    const plain = results.get('plain_words');
    assert.ok((plain?.threads ?? Infinity) < 1.2 * (plain?.sequential ?? 0), `threads ${plain?.threads} against sequential ${plain?.sequential}: ${plain?.evidence}`);
  });

  it('zlib.crc32 holds the GIL on buffers up to 5 KiB (CPython releases it only above): checksums of short records are GIL-bound, of 64 KiB blocks native', async () => {
    const results = await predicted(
      [
        'import zlib',
        '',
        'BLOCKS = [bytes(64 * 1024) for _ in range(400)]',
        '',
        'def record_checksums(i):',
        '    total = 0',
        '    for k in range(400_000):',
        '        record = f"meter {k:06d};{k % 977};ok".encode()',
        '        total ^= zlib.crc32(record)',
        '    return total',
        '',
        'def block_checksums(i):',
        '    return sum(zlib.crc32(block) for block in BLOCKS)',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('record_checksums')?.verdict, 'cpu', results.get('record_checksums')?.evidence);
    assert.match(results.get('record_checksums')?.evidence ?? '', /zlib\.crc32 \(in a loop\): [^|]*but on data this small the call's own overhead, which holds the GIL, is most of it/);
    assert.doesNotMatch(results.get('block_checksums')?.evidence ?? '', /on data this small/);
    assert.equal(results.get('block_checksums')?.verdict, 'native', results.get('block_checksums')?.evidence);
  });

  it('lz4: compressing short records releases the GIL at each call for less work than the hand-off: slower in threads than in one', async () => {
    const results = await predicted(
      [
        'import lz4.block',
        '',
        'RECORDS = [f"meter {k:06d};{k % 977};ok".encode() for k in range(60_000)]',
        '',
        'def packed(i):',
        '    return sum(len(lz4.block.compress(record)) for record in RECORDS)',
        '',
      ].join('\n'),
    );
    const packed = results.get('packed');
    assert.equal(packed?.verdict, 'cpu', packed?.evidence);
    assert.ok((packed?.threads ?? 0) > 1.2 * (packed?.sequential ?? Infinity), `threads ${packed?.threads} against sequential ${packed?.sequential}: ${packed?.evidence}`);
  });

  it('numpy: a ufunc over 1,000 elements releases the GIL in its loop for less work than the hand-off: slower in threads than in one; over 10 elements (under its 500) it holds the GIL', async () => {
    const results = await predicted(
      [
        'import numpy as np',
        '',
        'SMALL = np.arange(1_000, dtype=np.float64)',
        'TINY = np.arange(10, dtype=np.float64)',
        '',
        'def small_sums(i):',
        '    total = 0.0',
        '    for k in range(40_000):',
        '        total += float(np.add(SMALL, k)[0])',
        '    return total',
        '',
        'def tiny_sums(i):',
        '    total = 0.0',
        '    for k in range(40_000):',
        '        total += float(np.add(TINY, k)[0])',
        '    return total',
        '',
      ].join('\n'),
    );
    const small = results.get('small_sums');
    assert.ok((small?.threads ?? 0) > 1.5 * (small?.sequential ?? Infinity), `threads ${small?.threads} against sequential ${small?.sequential}: ${small?.evidence}`);
    const tiny = results.get('tiny_sums');
    assert.ok((tiny?.threads ?? Infinity) < 1.2 * (tiny?.sequential ?? 0), `threads ${tiny?.threads} against sequential ${tiny?.sequential}: ${tiny?.evidence}`);
  });

  it('cryptography: AESGCM on short records releases the GIL at each of its OpenSSL calls: GIL-bound and slower in threads; on 1 MiB blocks native', async () => {
    const results = await predicted(
      [
        'import os',
        'from cryptography.hazmat.primitives.ciphers.aead import AESGCM',
        '',
        'KEY = AESGCM.generate_key(bit_length=128)',
        'NONCE = os.urandom(12)',
        'RECORD = b"meter 000017;977;ok" * 5',
        'BLOCK = os.urandom(1024 * 1024)',
        '',
        'def sealed_records(i):',
        '    cipher = AESGCM(KEY)',
        '    return sum(len(cipher.encrypt(NONCE, RECORD, None)) for _ in range(20_000))',
        '',
        'def sealed_blocks(i):',
        '    cipher = AESGCM(KEY)',
        '    return sum(len(cipher.encrypt(NONCE, BLOCK, None)) for _ in range(40))',
        '',
      ].join('\n'),
    );
    const records = results.get('sealed_records');
    assert.equal(records?.verdict, 'cpu', records?.evidence);
    assert.ok((records?.threads ?? 0) > 1.5 * (records?.sequential ?? Infinity), `threads ${records?.threads} against sequential ${records?.sequential}: ${records?.evidence}`);
    assert.equal(results.get('sealed_blocks')?.verdict, 'native', results.get('sealed_blocks')?.evidence);
  });

  it('cryptography: Fernet releases the GIL at each of its OpenSSL calls: many tokens are slower in threads than in one', async () => {
    const results = await predicted(
      [
        'from cryptography.fernet import Fernet',
        '',
        'KEY = Fernet.generate_key()',
        'STATEMENTS = [f"account {k:06d}: balance {k * 7 % 1000}".encode() for k in range(5_000)]',
        '',
        'def tokens(i):',
        '    fernet = Fernet(KEY)',
        '    return sum(len(fernet.encrypt(statement)) for statement in STATEMENTS)',
        '',
      ].join('\n'),
    );
    const tokens = results.get('tokens');
    assert.ok((tokens?.threads ?? 0) > 1.5 * (tokens?.sequential ?? Infinity), `threads ${tokens?.threads} against sequential ${tokens?.sequential}: ${tokens?.evidence}`);
  });
});
