// The ceiling for throughput: raw nodejieba `cut` (jieba's own default dictionaries, HMM on, as
// `require('nodejieba').cut(text)` does) of a file, line by line and as a whole text. Prints JSON:
// load and cut times (wall and CPU), in ms. Run by bench/throughput.mjs in a child process pinned to the
// same core as huashu.
// Usage: node bench/jieba-cut.mjs <file>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.argv[2];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const timed = (fn) => {
  const w = performance.now();
  const c = cpuMs();
  const value = fn();
  return { wallMs: performance.now() - w, cpuMs: cpuMs() - c, value };
};

const start = timed(() => {
  const jieba = createRequire(import.meta.url)('nodejieba');
  jieba.load();
  return jieba;
});
const jieba = start.value;
const text = readFileSync(file, 'utf8');
const lines = text.split('\n');
let tokens = 0;
const byLine = timed(() => {
  for (const line of lines) if (line) tokens += jieba.cut(line).length;
});
const whole = timed(() => jieba.cut(text).length);
console.log(
  JSON.stringify({
    bytes: Buffer.byteLength(text),
    load: { wallMs: start.wallMs, cpuMs: start.cpuMs },
    lineByLine: { wallMs: byLine.wallMs, cpuMs: byLine.cpuMs, tokens },
    wholeText: { wallMs: whole.wallMs, cpuMs: whole.cpuMs, tokens: whole.value },
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
