// The pure parts of `huashu audit`: encoding detection, format sniffing, column mapping, CSV framing,
// conversation state, day parsing, batch results packed to cross threads.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { dayOf } from '../src/audit/aggregate.js';
import { ConversationTracker } from '../src/audit/context.js';
import { decodeChunks, detectEncoding, isLineSplittable, sampleInput } from '../src/audit/decode.js';
import { classifyRole, describeMapping, detectMapping } from '../src/audit/mapping.js';
import { csvBlocks, jsonArrayRecords, JsonArrayError, jsonlBlocks, jsonlRecords, sniffFormat, utf8Chunks } from '../src/audit/readers.js';
import { createTaskRunner, decodeBlock, packResults, unpackResults } from '../src/audit/records.js';
import { loadRules } from '../src/rules/load.js';

const SIMPLIFIED = '您好，您的包裹预计明天送到，如有疑问请随时联系我们，感谢您的耐心等待。退款已经为您申请了。';
const TRADITIONAL = '您好，您的包裹預計明天送到，如有疑問請隨時聯繫我們，感謝您的耐心等待。退款已經為您申請了。';

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('detectEncoding', () => {
  it('BOMs, UTF-8, UTF-16 without a BOM, GB18030 and Big5', () => {
    expect(detectEncoding(Buffer.from('\uFEFF' + SIMPLIFIED), true)).toEqual({ encoding: 'utf-8', how: 'bom' });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x60, 0x4f]), true)).toEqual({ encoding: 'utf-16le', how: 'bom' });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0x4f, 0x60]), true)).toEqual({ encoding: 'utf-16be', how: 'bom' });
    expect(detectEncoding(Buffer.from(SIMPLIFIED), true).encoding).toBe('utf-8');
    expect(detectEncoding(iconv.encode('id,text\n1,' + SIMPLIFIED, 'utf-16le'), true).encoding).toBe('utf-16le');
    expect(detectEncoding(iconv.encode('id,text\n1,' + SIMPLIFIED, 'utf-16be'), true).encoding).toBe('utf-16be');
    expect(detectEncoding(iconv.encode(SIMPLIFIED.repeat(3), 'gbk'), true).encoding).toBe('gb18030');
    expect(detectEncoding(iconv.encode(TRADITIONAL.repeat(3), 'big5'), true).encoding).toBe('big5');
  });

  it('a UTF-8 sample cut inside a character, or with a few damaged bytes, is still UTF-8', () => {
    const bytes = Buffer.from(SIMPLIFIED.repeat(4));
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1), false).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([bytes, Buffer.from([0xff]), bytes]), true).encoding).toBe('utf-8');
  });

  it('sampleInput detects, decodeChunks joins characters split across chunks and drops the BOM', async () => {
    const bytes = Buffer.from('\uFEFF' + SIMPLIFIED);
    const input = await sampleInput(chunks(bytes.subarray(0, 7), bytes.subarray(7)), undefined);
    expect(input.detected).toEqual({ encoding: 'utf-8', how: 'bom' });
    expect((await collect(decodeChunks(input.bytes, input.detected.encoding))).join('')).toBe(SIMPLIFIED);
    const gb = iconv.encode('\uFEFF' + SIMPLIFIED, 'gb18030');
    // Forced, and with GB18030's own byte order mark (84 31 95 33), which iconv-lite would keep.
    const forced = await sampleInput(chunks(gb.subarray(0, 5), gb.subarray(5)), 'gb18030');
    expect(forced.detected).toEqual({ encoding: 'gb18030', how: 'option' });
    expect((await collect(decodeChunks(forced.bytes, forced.detected.encoding))).join('')).toBe(SIMPLIFIED);
  });

  it('an input that breaks off while it is sampled: the bytes that came, then the error', async () => {
    async function* broken() {
      yield Buffer.from(SIMPLIFIED);
      throw new Error('truncated');
    }
    const input = await sampleInput(broken(), undefined);
    expect(input.detected.encoding).toBe('utf-8');
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const t of decodeChunks(input.bytes, 'utf-8')) seen.push(t);
      })(),
    ).rejects.toThrow('truncated');
    expect(seen.join('')).toBe(SIMPLIFIED);
  });
});

describe('sniffFormat', () => {
  it.each([
    ['[{"a":1}]', 'json'],
    ['  {"a":1}\n{"a":2}', 'jsonl'],
    ['a\tb\tc\n1\t2\t3', 'tsv'],
    ['a,b,c\n1,2,3', 'csv'],
    ['', 'csv'],
  ])('%j → %s', (head, format) => expect(sniffFormat(head)).toBe(format));
});

describe('detectMapping', () => {
  it('recognises English and Chinese headers, simplified and traditional', () => {
    expect(detectMapping(['conversation_id', 'timestamp', 'speaker', 'message']).columns).toEqual({ text: 'message', role: 'speaker', conversation: 'conversation_id', time: 'timestamp' });
    expect(detectMapping(['會話', '時間', '客服專員', '角色', '內容']).columns).toEqual({ text: '內容', role: '角色', conversation: '會話', agent: '客服專員', time: '時間' });
    expect(detectMapping(['Session ID', 'From', 'Body']).columns).toEqual({ text: 'Body', role: 'From', conversation: 'Session ID' });
  });

  it('options win over detection; a named column that is not there is said', () => {
    const m = detectMapping(['message', 'note', 'speaker'], { text: 'note', agent: 'operator' });
    expect(m.columns).toEqual({ text: 'note', agent: 'operator', role: 'speaker' });
    expect(m.missing).toEqual(['agent']);
    expect(describeMapping(m)).toBe('text=note, role=speaker, agent=operator (not found)');
    expect(describeMapping(detectMapping(['a', 'b']))).toBe('no role column: every row is audited as an agent reply, no text column: name it with --text');
  });

  it('role values', () => {
    const m = detectMapping(['role', 'text']);
    expect(['Agent', ' 客服 ', '客服專員', 'helpdesk'].map((v) => classifyRole(v, m))).toEqual(['agent', 'agent', 'agent', 'agent']);
    expect(['customer', '顧客', '用户', 'USER'].map((v) => classifyRole(v, m))).toEqual(['customer', 'customer', 'customer', 'customer']);
    expect(classifyRole('system', m)).toBe('other');
    const jddc = detectMapping(['waiter_send', 'content'], { role: 'waiter_send', agentRole: ['1'], customerRole: ['0'] });
    expect(['1', '0', '2'].map((v) => classifyRole(v, jddc))).toEqual(['agent', 'customer', 'other']);
    expect(classifyRole(undefined, detectMapping(['text']))).toBe('agent');
  });
});

/** A CSV record as csvBlocks + decodeBlock give it. */
interface CsvRecord {
  line: number;
  text: string;
  unterminated?: true;
}

/** csvBlocks' records, decoded as a worker decodes them. */
async function csvRecords(bytes: AsyncIterable<Uint8Array>, encoding: string, delimiter: string, maxRecords = 512, maxBytes = 1 << 20): Promise<CsvRecord[]> {
  return (await collect(csvBlocks(bytes, delimiter, maxRecords, maxBytes))).flatMap((b) => {
    expect(b.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    const { lines, texts, unterminated } = decodeBlock({ ...b, encoding });
    return texts.map((t, k): CsvRecord => ({ line: lines[k]!, text: t, ...(unterminated.includes(k) ? { unterminated: true as const } : {}) }));
  });
}

describe('CSV framing', () => {
  const frame = async (text: string, delimiter = ',') => csvRecords(utf8Chunks(collectText(text)), 'utf-8', delimiter);
  async function* collectText(text: string): AsyncGenerator<string> {
    // in small pieces, so records and CRLFs are split across chunks
    for (let i = 0; i < text.length; i += 5) yield text.slice(i, i + 5);
  }
  const lines = (rs: CsvRecord[]) => rs.map((r) => [r.line, r.text, r.unterminated ?? false]);

  it('quoted line breaks and doubled quotes stay in their record; empty lines are no records', async () => {
    expect(lines(await frame('h1,h2\r\n1,"a\nb"\r\n\r\n2,"say ""hi"",\nok"\r\n3,plain\r\n'))).toEqual([
      [1, 'h1,h2', false],
      [2, '1,"a\nb"', false],
      [5, '2,"say ""hi"",\nok"', false],
      [7, '3,plain', false],
    ]);
  });

  it('a stray quote inside an unquoted field does not open a quoted field', async () => {
    expect(lines(await frame('1,bad "quote\n2,"x\ny"\n3,z\n'))).toEqual([
      [1, '1,bad "quote', false],
      [2, '2,"x\ny"', false],
      [4, '3,z', false],
    ]);
  });

  it('a lone CR ends a record as LF and CRLF do, outside quotes; inside them it stays in the field', async () => {
    expect(lines(await frame('h1,h2\r1,"a\rb"\r\r2,x\r\n3,y\n4,z\r'))).toEqual([
      [1, 'h1,h2', false],
      [2, '1,"a\rb"', false],
      [5, '2,x', false],
      [6, '3,y', false],
      [7, '4,z', false],
    ]);
    // a CR at the end of one chunk and its LF in the next are one line break
    expect(lines(await csvRecords(chunks('h\r', '\n1\r', '2\r'), 'utf-8', ','))).toEqual([
      [1, 'h', false],
      [2, '1', false],
      [3, '2', false],
    ]);
  });

  it('a quoted field of thousands of lines is one record', async () => {
    const field = Array.from({ length: 1500 }, (_, i) => `第${i}行`).join('\n');
    expect(lines(await frame(`h1,h2\n1,"${field}"\n2,x\n`))).toEqual([
      [1, 'h1,h2', false],
      [2, `1,"${field}"`, false],
      [1502, '2,x', false],
    ]);
  });

  it('a quote that never closes: the rest is one unterminated record, read line by line later', async () => {
    expect(lines(await frame('1,"open\n2,a\n3,b\n'))).toEqual([[1, '1,"open\n2,a\n3,b', true]]);
    expect(lines(await frame('1\t"x\ty"\n2\tz\n', '\t'))).toEqual([
      [1, '1\t"x\ty"', false],
      [2, '2\tz', false],
    ]);
  });
});

describe('JSON array framing (jsonArrayRecords)', () => {
  async function* pieces(text: string, size: number): AsyncGenerator<string> {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  }
  /** Items (value or error) and the error that ended the array, for every chunk size. */
  async function items(text: string) {
    const outcomes = [];
    for (const size of [1, 3, 7, 1 << 16]) {
      const seen: unknown[] = [];
      let ended: string | undefined;
      try {
        for await (const records of jsonArrayRecords(pieces(text, size))) for (const r of records) seen.push(r.error ?? r.value);
      } catch (e) {
        if (!(e instanceof JsonArrayError)) throw e;
        ended = `${e.item}: ${e.message}`;
      }
      outcomes.push({ seen, ended });
    }
    for (const o of outcomes) expect(o).toEqual(outcomes[0]);
    return outcomes[0]!;
  }

  it('items are told apart by their brackets and strings, whatever the chunks', async () => {
    const text = '\uFEFF [ {"a": "],}\\"{"}, [1, [2, {"b": []}]] ,"x", 3 ,\n null ] \n';
    expect(await items(text)).toEqual({ seen: [{ a: '],}"{' }, [1, [2, { b: [] }]], 'x', 3, null], ended: undefined });
    expect(await items('[]')).toEqual({ seen: [], ended: undefined });
    expect(await items(' \n')).toEqual({ seen: [], ended: undefined });
  });

  it('an item that does not parse is an error in its place; broken brackets end the array after the items before them', async () => {
    expect(await items('[{"a": 1}, {"a": 2,, "b": 3}, {"a": 3}]')).toEqual({
      seen: [{ a: 1 }, expect.stringMatching(/^invalid JSON in item 2, at /), { a: 3 }],
      ended: undefined,
    });
    expect(await items('[{"a": 1},\n{"a": [2}, {"a": 3}]')).toEqual({
      seen: [{ a: 1 }],
      ended: "2: invalid JSON at line 2, column 9 (item 2): '}' closes a '['; the rest of the file is not read",
    });
    expect(await items('[{"a": 1}, {"a": 2}')).toEqual({ seen: [{ a: 1 }, { a: 2 }], ended: "3: invalid JSON at line 1, column 20 (item 3): the array's closing ']' is missing" });
    expect((await items('{"a": 1}')).ended).toBe("1: invalid JSON at line 1, column 1 (item 1): not a JSON array (it starts with '{'); the rest of the file is not read");
    expect((await items('[1, 2,]')).ended).toBe("3: invalid JSON at line 1, column 7 (item 3): a comma before ']'; the rest of the file is not read");
  });
});

describe('ConversationTracker and dayOf', () => {
  it('keeps the most recent conversations, up to its capacity', () => {
    const t = new ConversationTracker(2);
    t.get('a').customer = 'A';
    t.get('b').turns = 5;
    t.get('a');
    t.get('c'); // evicts b, the least recently used
    expect(t.size).toBe(2);
    expect(t.get('a').customer).toBe('A');
    expect(t.get('b').turns).toBe(0);
  });

  it('stays within its capacity over a million conversations, and keeps the one being read', () => {
    const t = new ConversationTracker(1000);
    for (let i = 0; i < 1_000_000; i++) {
      t.get(`c${i}`).turns++;
      if (i % 100 === 0) t.get('long-running').turns++;
    }
    expect(t.size).toBeLessThanOrEqual(1000);
    expect(t.get('long-running').turns).toBe(10_000);
  });

  it.each([
    ['2024-05-01 09:00:05', '2024-05-01'],
    ['2024/5/1 9:00', '2024-05-01'],
    ['2024年5月1日', '2024-05-01'],
    ['1714554000', '2024-05-01'],
    ['1714554000000', '2024-05-01'],
    ['yesterday', undefined],
    ['', undefined],
  ])('dayOf(%j) = %s', (time, day) => expect(dayOf(time)).toBe(day));
});

describe('results crossing threads', () => {
  it('unpack(pack(results)) gives the results back, every kind of row', async () => {
    const set = await loadRules();
    const run = createTaskRunner(set, {});
    const texts = [
      JSON.stringify({ role: 'agent', text: '我们保证明天一定送到，是快递的问题', conversation: 'c1', agent: '小王', time: '2024-05-01 09:00' }),
      JSON.stringify({ role: 'customer', text: '我的快递呢？', conversation: 'c1' }),
      JSON.stringify({ role: 'agent', text: '您好，请稍等', conversation: 'c1', turn: '3' }),
      JSON.stringify({ role: 'system', text: '会话已转接' }),
      JSON.stringify({ role: 'agent', text: '   ' }),
      '',
      '{"role": "agent", "text": ',
      '[1, 2]',
      JSON.stringify({ role: 'agent', message: 'no text column here' }),
      JSON.stringify({ role: 'agent', text: '坏\uFFFD字节' }),
    ];
    const mapping = detectMapping(['role', 'text', 'conversation', 'agent', 'time', 'turn']);
    const results = run({ format: 'jsonl', mapping, lines: texts.map((_, i) => i + 1), texts, values: [], unterminated: [] });
    expect(new Set(results.map((r) => r.code ?? r.status))).toEqual(
      new Set(['audited', 'customer', 'other-role', 'empty-text', 'blank', 'invalid-json', 'not-an-object', 'missing-text', 'undecodable']),
    );
    expect(results[0]!.findings!.length).toBeGreaterThan(1);
    expect(unpackResults(structuredClone(packResults(results)))).toEqual(results);
  });
});

describe('JSON lines cut into blocks before decoding (jsonlBlocks)', () => {
  /** Lines as jsonlBlocks + decodeBlock give them, and as the decoded-text path (jsonlRecords) does. */
  async function both(bytes: Uint8Array, encoding: string, cuts: number[], maxLines: number, maxBytes: number) {
    const pieces = () => {
      const out: Uint8Array[] = [];
      let at = 0;
      for (const c of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
        out.push(bytes.subarray(at, c));
        at = c;
      }
      return chunks(...out);
    };
    const blocks = await collect(jsonlBlocks(pieces(), maxLines, maxBytes));
    const viaBlocks = blocks.flatMap((b) => {
      const { lines, texts } = decodeBlock({ ...b, encoding });
      expect(lines.length).toBe(b.count);
      return texts.map((text, i) => ({ line: lines[i], text }));
    });
    const viaText = (await collect(jsonlRecords(decodeChunks(pieces() as AsyncIterable<Buffer>, encoding)))).flat();
    return { blocks, viaBlocks, viaText };
  }

  it('gives the same lines and line numbers as decoding first, however the bytes arrive', async () => {
    const text = '\uFEFF{"text":"您好"}\r\n\n{"text":"我们保证明天一定送到"}\n{"text":"謝謝"}\r\n\r\n{"text":"最后一行没有换行"}';
    for (const encoding of ['utf-8', 'gb18030', 'big5']) {
      const bytes = encoding === 'utf-8' ? Buffer.from(text) : iconv.encode(text, encoding);
      for (const [maxLines, maxBytes] of [[1, 1 << 20], [2, 1 << 20], [512, 10], [512, 1 << 20]] as const) {
        for (const cuts of [[], [1], [2, 5, 6, 7], Array.from({ length: bytes.length }, (_, i) => i)]) {
          const { viaBlocks, viaText } = await both(bytes, encoding, cuts, maxLines, maxBytes);
          expect(viaBlocks).toEqual(viaText);
        }
      }
    }
  });

  it('cuts after at most maxLines lines, or once maxBytes are reached, always at a line feed', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ text: `第${i}行：您好` }));
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const byLines = await collect(jsonlBlocks(chunks(bytes.subarray(0, 333), bytes.subarray(333)), 7, 1 << 20));
    expect(byLines.map((b) => b.count)).toEqual([7, 7, 7, 7, 7, 7, 7, 1]);
    expect(byLines.map((b) => b.first)).toEqual([1, 8, 15, 22, 29, 36, 43, 50]);
    const byBytes = await collect(jsonlBlocks(chunks(bytes), 1000, 100));
    for (const b of byBytes) {
      expect(b.bytes[b.bytes.length - 1]).toBe(0x0a);
      expect(b.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    expect(byBytes.reduce((n, b) => n + b.count, 0)).toBe(50);
    expect(Buffer.concat(byBytes.map((b) => b.bytes))).toEqual(bytes);
  });

  it('an input that breaks off: its whole lines come first, then the error', async () => {
    async function* broken() {
      yield Buffer.from('{"a":1}\n{"a":2}\n{"a":');
      throw new Error('truncated');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const b of jsonlBlocks(broken(), 512, 1 << 20)) seen.push(b.count);
      })(),
    ).rejects.toThrow('truncated');
    expect(seen).toEqual([2]);
  });

  it('is used only where a line feed byte is always a line feed', () => {
    expect(['utf-8', 'UTF8', 'gb18030', 'gbk', 'big5'].every(isLineSplittable)).toBe(true);
    expect(['utf-16le', 'utf-16be', 'shift_jis'].some(isLineSplittable)).toBe(false);
  });
});

describe('CSV/TSV records framed in the bytes (csvBlocks)', () => {
  const rows = [
    'id,speaker,message',
    '1,agent,您好，我们保证明天一定送到',
    '',
    '2,customer,"带引号的,逗号"',
    '\r',
    '3,agent,"多行\n第二行：您自己没看清\r\n第三行"',
    '4,agent,"内嵌""双引号""的回复"',
    '5,agent,坏 "stray" 引号',
    '6,agent,"后面没有闭合的引号',
    ...Array.from({ length: 1005 }, (_, i) => `${7 + i},agent,第${i}行`),
  ];

  /** Records as csvBlocks + decodeBlock give them in the bytes, and in decoded text re-encoded as UTF-8 (as UTF-16 is read). */
  async function both(text: string, encoding: string, delimiter: string, cuts: number[], maxRecords: number, maxBytes: number) {
    const bytes = encoding === 'utf-8' ? Buffer.from(text) : iconv.encode(text, encoding);
    const pieces = () => {
      const out: Uint8Array[] = [];
      let at = 0;
      for (const c of [...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length]) {
        out.push(bytes.subarray(at, c));
        at = c;
      }
      return chunks(...out);
    };
    const viaBlocks = await csvRecords(pieces(), encoding, delimiter, maxRecords, maxBytes);
    const viaText = await csvRecords(utf8Chunks(decodeChunks(pieces() as AsyncIterable<Buffer>, encoding)), 'utf-8', delimiter, maxRecords, maxBytes);
    return { viaBlocks, viaText };
  }

  it('frames the same in the bytes and in text: quotes, line breaks in fields, CRLF, CR, empty lines, a quote that never closes', async () => {
    for (const [eol, bom, last] of [['\n', '', '\n'], ['\r\n', '\uFEFF', ''], ['\n', '', ''], ['\r', '', '\r']] as const) {
      const text = bom + rows.join(eol) + last;
      for (const encoding of ['utf-8', 'gb18030']) {
        for (const [maxRecords, maxBytes] of [[1, 1 << 20], [3, 1 << 20], [512, 64], [512, 1 << 20]] as const) {
          for (const cuts of [[], [5, 6, 7, 40, 41], Array.from({ length: 400 }, (_, i) => i * 37)]) {
            const { viaBlocks, viaText } = await both(text, encoding, ',', cuts, maxRecords, maxBytes);
            expect(viaText.some((r) => r.unterminated)).toBe(true);
            expect(viaBlocks).toEqual(viaText);
          }
        }
      }
    }
  });

  it('TSV, and an input that ends inside a quoted field', async () => {
    const tsv = rows.slice(0, 8).map((r) => r.replaceAll(',', '\t')).join('\n') + '\n7\tagent\t"还没说完\n';
    const { viaBlocks, viaText } = await both(tsv, 'utf-8', '\t', [3, 50], 2, 1 << 20);
    expect(viaBlocks).toEqual(viaText);
    expect(viaBlocks[viaBlocks.length - 1]).toMatchObject({ unterminated: true });
  });

  it('an input that breaks off: its whole records come first, then the error', async () => {
    async function* broken() {
      yield Buffer.from('id,message\n1,"两行\n的回复"\n2,"没有');
      throw new Error('truncated');
    }
    const seen: number[][] = [];
    await expect(
      (async () => {
        for await (const b of csvBlocks(broken(), ',', 512, 1 << 20)) seen.push(Array.from(b.line));
      })(),
    ).rejects.toThrow('truncated');
    expect(seen).toEqual([[1, 2]]);
  });
});
