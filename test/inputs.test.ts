import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STDIN_PATH,
  decodeBytes,
  expandPaths,
  firstInvalidUtf8,
  hasGlobMagic,
  isDraftFile,
  isProblem,
  lineOfByte,
  readInputs,
  readTarget,
} from '../src/inputs/files.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('decodeBytes', () => {
  it('decodes plain UTF-8 and empty input', () => {
    expect(decodeBytes(utf8('您好，我保證。'))).toEqual({ text: '您好，我保證。', encoding: 'utf-8' });
    expect(decodeBytes(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8' });
  });

  it('strips a UTF-8 BOM', () => {
    expect(decodeBytes(bytes([0xef, 0xbb, 0xbf], '我保证'))).toEqual({ text: '我保证', encoding: 'utf-8-bom' });
    // only the first BOM is the file's: a second one is text
    expect(decodeBytes(bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], 'a'))).toEqual({ text: '\uFEFFa', encoding: 'utf-8-bom' });
  });

  it('decodes UTF-16 LE and BE with a BOM', () => {
    const text = '我保證明天送到 😀\r\n第二行';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeBytes(le)).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeBytes(be)).toEqual({ text, encoding: 'utf-16be' });
  });

  it('rejects broken UTF-16', () => {
    expect(decodeBytes(Buffer.from([0xff, 0xfe, 0x11]))).toMatchObject({ kind: 'encoding', error: expect.stringMatching(/odd number of bytes/) });
    // a lone high surrogate at byte 4
    expect(decodeBytes(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x00, 0xd8, 0x41, 0x00]))).toEqual({
      kind: 'encoding',
      error: 'invalid UTF-16LE at byte 4',
    });
  });

  it('calls a file with a NUL byte binary', () => {
    expect(decodeBytes(bytes('PK', [3, 4, 0, 0]))).toEqual({ kind: 'binary', error: 'binary file (NUL byte at byte 4), skipped' });
  });

  it('names the first byte that is not UTF-8, and its line', () => {
    const b = bytes('我保证\n第二行', [0xff], '后面');
    expect(decodeBytes(b)).toEqual({ kind: 'encoding', error: `invalid UTF-8 at byte ${utf8('我保证\n第二行').length} (line 2)` });
    // GBK-encoded 你好 (C4 E3 BA C3) is not UTF-8: the first byte is already bad
    expect(decodeBytes(Buffer.from([0xc4, 0xe3, 0xba, 0xc3]))).toEqual({ kind: 'encoding', error: 'invalid UTF-8 at byte 0 (line 1)' });
  });
});

describe('firstInvalidUtf8', () => {
  it('accepts well-formed text', () => {
    expect(firstInvalidUtf8(utf8('ascii 中文 ２４ 😀 \u{10FFFF}'))).toBe(-1);
  });

  it.each([
    ['lone continuation byte', [0x61, 0x80], 1],
    ['truncated sequence at the end', [0x61, 0xe4, 0xbd], 1],
    ['truncated sequence before ASCII', [0xe4, 0x61, 0x62], 0],
    ['overlong 2-byte', [0xc0, 0xaf], 0],
    ['overlong 3-byte', [0xe0, 0x80, 0xaf], 0],
    ['UTF-16 surrogate', [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['invalid lead byte', [0x61, 0xf8, 0x88, 0x80, 0x80, 0x80], 1],
  ])('finds a %s', (_name, input, at) => {
    expect(firstInvalidUtf8(Uint8Array.from(input))).toBe(at);
  });

  it('agrees with TextDecoder on random bytes', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >>> 0) / 0x7fffffff;
    const pool = [0x61, 0x0a, 0x80, 0xbf, 0xc2, 0xc0, 0xe0, 0xe4, 0xed, 0xa0, 0x9f, 0xf0, 0xf4, 0x90, 0x8f, 0xff];
    for (let n = 0; n < 2000; n++) {
      const b = Uint8Array.from({ length: 1 + Math.floor(random() * 8) }, () => pool[Math.floor(random() * pool.length)]!);
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b);
      } catch {
        valid = false;
      }
      const bad = firstInvalidUtf8(b);
      expect(bad === -1, `bytes ${Buffer.from(b).toString('hex')}`).toBe(valid);
      if (!valid) {
        // everything before the reported byte decodes
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, bad))).not.toThrow();
      }
    }
  });
});

describe('small helpers', () => {
  it('lineOfByte counts \\n, \\r\\n and \\r', () => {
    const b = utf8('a\nb\r\nc\rd');
    expect([0, 2, 5, 7].map((o) => lineOfByte(b, o))).toEqual([1, 2, 3, 4]);
  });

  it('hasGlobMagic and isDraftFile', () => {
    expect(hasGlobMagic('drafts/**/*.txt')).toBe(true);
    expect(hasGlobMagic('drafts/{a,b}.md')).toBe(true);
    expect(hasGlobMagic('drafts/reply.txt')).toBe(false);
    expect(['a.txt', 'b.MD', 'c.md', 'd.json', 'e', 'f.txt.bak', 'g.yml', 'h.HTML', 'i.csv'].filter(isDraftFile)).toEqual(['a.txt', 'b.MD', 'c.md', 'd.json', 'g.yml', 'h.HTML']);
  });
});

describe('expandPaths and readInputs', () => {
  let dir: string;
  const cwd = process.cwd();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'huashu-inputs-'));
    const files: Record<string, string | Buffer> = {
      'b.txt': '我保证',
      'a.md': '# 回覆\n您好',
      'c.json': '{}',
      'sub/z.txt': 'z',
      'sub/deeper/y.md': 'y',
      'node_modules/pkg/readme.md': 'skip me',
      '.git/notes.txt': 'skip me',
      'empty/.keep': '',
      'bin.txt': Buffer.from([0x61, 0x00, 0x62]),
    };
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    process.chdir(dir);
  });

  afterAll(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('recurses into directories for the files it reads, sorted, skipping node_modules and .git', async () => {
    expect(await expandPaths(['.'])).toEqual(['a.md', 'b.txt', 'bin.txt', 'c.json', 'sub/deeper/y.md', 'sub/z.txt'].map((path) => ({ path })));
  });

  it('keeps files named directly whatever their extension, in the order named, once each', async () => {
    expect(await expandPaths(['c.json', 'b.txt', 'sub', './b.txt', 'sub/z.txt', '-', '-'])).toEqual([
      { path: 'c.json', named: true },
      { path: 'b.txt', named: true },
      { path: 'sub/deeper/y.md' },
      { path: 'sub/z.txt', named: true },
      { path: STDIN_PATH, stdin: true },
    ]);
  });

  it('expands globs, sorted', async () => {
    expect(await expandPaths(['**/*.md'])).toEqual([{ path: 'a.md' }, { path: 'sub/deeper/y.md' }]);
    expect(await expandPaths(['*.{json,txt}'])).toEqual([{ path: 'b.txt' }, { path: 'bin.txt' }, { path: 'c.json' }]);
  });

  it('reports missing paths, empty directories and globs matching nothing', async () => {
    expect(await expandPaths(['nope.txt', 'empty', 'x*.doc'])).toEqual([
      { path: 'nope.txt', kind: 'missing', error: 'no such file or directory' },
      { path: 'empty', kind: 'no-files', error: expect.stringMatching(/^no files to lint in this directory \(huashu reads \.txt .*\.yaml/) },
      { path: 'x*.doc', kind: 'no-files', error: 'no files match this pattern' },
    ]);
  });

  it('reads and decodes, keeping going past a bad file', async () => {
    const inputs = await readInputs(['bin.txt', 'nope.txt', 'b.txt']);
    expect(inputs.map((i) => (isProblem(i) ? i.kind : i.text))).toEqual(['binary', 'missing', '我保证']);
  });

  it('reads - from the stream it is given, whole before decoding', async () => {
    const text = Buffer.from('我保证');
    // a chunk boundary inside a character
    const stdin = Readable.from([Buffer.from([0xef, 0xbb, 0xbf]), text.subarray(0, 4), text.subarray(4)]);
    expect(await readTarget({ path: STDIN_PATH, stdin: true }, { stdin })).toEqual({ path: STDIN_PATH, text: '我保证', encoding: 'utf-8-bom' });
  });
});
