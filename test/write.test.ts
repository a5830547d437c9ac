// The atomic write helper: encodings round-trip, mode and symlinks kept, changed-on-disk refused, and a
// process killed in the middle of a write leaves the original file whole (the real compiled module, in a
// child process that is SIGKILLed).
import { spawn } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBytes, type Encoding } from '../src/inputs/files.js';
import { ChangedOnDiskError, encodeText, PendingFile, readWithSnapshot, writeFileAtomic } from '../src/inputs/write.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const COMPILED = pathToFileURL(join(ROOT, 'dist', 'inputs', 'write.js')).href;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'huashu-write-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const strays = () => readdirSync(dir).filter((n) => n.includes('.huashu-'));

describe('encodeText', () => {
  it('is the inverse of decodeBytes for every encoding, BOM and CRLF included', () => {
    const text = '您好，您的反饋已收到 😀\r\n第二行\n';
    for (const encoding of ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be'] as Encoding[]) {
      expect(decodeBytes(encodeText(text, encoding))).toEqual({ text, encoding });
    }
    expect([...encodeText('a', 'utf-16be')]).toEqual([0xfe, 0xff, 0x00, 0x61]);
  });
});

describe('PendingFile', () => {
  it('an exclusive commit creates the file, and never replaces one that appeared meanwhile', async () => {
    const target = join(dir, 'exclusive.yaml');
    const first = await PendingFile.open(target);
    await first.write('mine\n');
    await first.commit(undefined, { exclusive: true });
    expect(readFileSync(target, 'utf8')).toBe('mine\n');
    const second = await PendingFile.open(target);
    await second.write('theirs\n');
    await expect(second.commit(undefined, { exclusive: true })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(target, 'utf8')).toBe('mine\n');
    expect(strays()).toEqual([]);
  });

  it('abort leaves nothing behind and the target untouched', async () => {
    const target = join(dir, 'aborted.txt');
    writeFileSync(target, 'old');
    const file = await PendingFile.open(target);
    await file.write('half');
    await file.abort();
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(strays()).toEqual([]);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the content, keeps the mode, leaves no temporary file', async () => {
    const file = join(dir, 'mode.txt');
    writeFileSync(file, 'old');
    chmodSync(file, 0o640);
    await writeFileAtomic(file, Buffer.from('new'));
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(strays()).toEqual([]);
  });

  it('keeps a backup of the old bytes when asked', async () => {
    const file = join(dir, 'backup.txt');
    writeFileSync(file, 'old');
    const { snapshot } = await readWithSnapshot(file);
    await writeFileAtomic(file, Buffer.from('new'), { expect: snapshot, backupPath: `${file}.bak` });
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe('old');
    expect(readFileSync(file, 'utf8')).toBe('new');
  });

  it('refuses to overwrite a file changed on disk since it was read', async () => {
    const file = join(dir, 'changed.txt');
    writeFileSync(file, 'as read');
    const { snapshot } = await readWithSnapshot(file);
    // same size, so only the mtime and the hash can tell
    writeFileSync(file, 'AS READ');
    await expect(writeFileAtomic(file, Buffer.from('fixed'), { expect: snapshot })).rejects.toBeInstanceOf(ChangedOnDiskError);
    expect(readFileSync(file, 'utf8')).toBe('AS READ');
    expect(strays()).toEqual([]);
  });

  it('writes through a symbolic link, which stays a link', async () => {
    const real = join(dir, 'real.txt');
    const link = join(dir, 'link.txt');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    await writeFileAtomic(link, Buffer.from('new'));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
  });

  it('a process killed in the middle of writing leaves the original intact', async () => {
    const file = join(dir, 'killed.txt');
    const original = '原來的內容，一個字都不能少。\n'.repeat(100);
    writeFileSync(file, original);
    // The child writes one chunk, says so, and then hangs mid-write until it is killed.
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { writeFileAtomic } from ${JSON.stringify(COMPILED)};
         async function* chunks() {
           yield Buffer.alloc(65536, 0x41);
           yield Buffer.alloc(65536, 0x42);
           process.stdout.write('started\\n');
           await new Promise(() => setInterval(() => {}, 1000));
         }
         await writeFileAtomic(${JSON.stringify(file)}, chunks());`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('started') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    const temps = strays().filter((n) => n.startsWith('.killed.txt.'));
    expect(temps.length).toBe(1);
    // the half-written temporary file holds what was written so far; the original does not
    expect(statSync(join(dir, temps[0]!)).size).toBeGreaterThanOrEqual(65536);
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(readFileSync(file, 'utf8')).toBe(original);
    // the stray temporary file is the only trace, and the next write works
    await writeFileAtomic(file, Buffer.from('next'));
    expect(readFileSync(file, 'utf8')).toBe('next');
    for (const t of strays()) rmSync(join(dir, t));
  });

  it('a process killed at a random moment while rewriting in a loop leaves one whole version', async () => {
    const file = join(dir, 'loop.txt');
    const a = 'A'.repeat(1 << 20);
    const b = 'B'.repeat(1 << 20);
    writeFileSync(file, a);
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { writeFileAtomic } from ${JSON.stringify(COMPILED)};
         const a = Buffer.alloc(1 << 20, 0x41), b = Buffer.alloc(1 << 20, 0x42);
         process.stdout.write('go\\n');
         for (let i = 0; ; i++) await writeFileAtomic(${JSON.stringify(file)}, i % 2 ? a : b);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 150 + Math.random() * 250));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const content = readFileSync(file, 'utf8');
    expect(content === a || content === b).toBe(true);
    for (const t of strays()) rmSync(join(dir, t));
  });
});
