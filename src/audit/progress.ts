// A one-line progress display on stderr (ora), only when stderr is a terminal: rows, rows/s, findings,
// bytes done of the total, and the time left, estimated from the bytes.
import type { Progress } from './run.js';
import { thousands } from '../formatters/thousands.js';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}:${String(s % 60).padStart(2, '0')}`;
}

/** The progress text: `12,345 rows · 4,321 rows/s · 87 findings · 3.1 MB / 9.8 MB · ETA 0:02`. */
export function progressText(p: Progress, totalBytes: number | undefined, elapsedSeconds: number): string {
  const done = p.bytesBefore + (p.source?.bytesRead ?? 0);
  const rate = elapsedSeconds > 0 ? p.rows / elapsedSeconds : 0;
  const parts = [`${thousands(p.rows)} rows`, `${thousands(Math.round(rate))} rows/s`, `${thousands(p.findings)} findings`];
  if (totalBytes !== undefined && totalBytes > 0) {
    parts.push(`${formatBytes(done)} / ${formatBytes(totalBytes)}`);
    if (done > 0 && elapsedSeconds > 1) parts.push(`ETA ${formatDuration((elapsedSeconds * (totalBytes - done)) / done)}`);
  } else {
    parts.push(formatBytes(done));
  }
  return parts.join(' · ');
}

export interface ProgressDisplay {
  stop(): void;
}

export async function startProgress(p: Progress): Promise<ProgressDisplay> {
  const { default: ora } = await import('ora');
  const t0 = performance.now();
  const spinner = ora({ stream: process.stderr, text: 'reading…', discardStdin: false }).start();
  const text = () => progressText(p, p.bytesTotal, (performance.now() - t0) / 1000);
  const timer = setInterval(() => (spinner.text = text()), 200);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      // The last state stays on screen: how much was read, how fast.
      spinner.stopAndPersist({ symbol: '✔', text: text() });
    },
  };
}
