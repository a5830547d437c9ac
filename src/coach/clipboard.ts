// Copying the coached draft to the system clipboard through the platform's own tool, when one is
// installed: pbcopy (macOS), wl-copy (Wayland), xclip or xsel (X11), clip.exe (Windows, WSL).
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface ClipboardTool {
  command: string;
  args: string[];
}

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** The clipboard tool to use here, or undefined when there is none (the coach then does not offer it). */
export function findClipboardTool(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ClipboardTool | undefined {
  const candidates: ClipboardTool[] = [];
  if (platform === 'darwin') candidates.push({ command: 'pbcopy', args: [] });
  if (platform === 'win32') candidates.push({ command: 'clip.exe', args: [] });
  if (env['WAYLAND_DISPLAY']) candidates.push({ command: 'wl-copy', args: [] });
  if (env['DISPLAY']) candidates.push({ command: 'xclip', args: ['-selection', 'clipboard'] }, { command: 'xsel', args: ['--clipboard', '--input'] });
  if (platform === 'linux' && env['WSL_DISTRO_NAME']) candidates.push({ command: 'clip.exe', args: [] });
  return candidates.find((c) => onPath(c.command, env));
}

/**
 * The bytes `tool` reads as `text`. clip.exe decodes its input in the console's code page (GBK, Big5,
 * 437…), never as UTF-8, unless it starts with a UTF-16LE byte order mark: that it reads as Unicode.
 * The other tools read UTF-8.
 */
export function clipboardBytes(tool: ClipboardTool, text: string): Buffer {
  if (!/(^|[\\/])clip(\.exe)?$/i.test(tool.command)) return Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

/** Send `text` to the clipboard tool's standard input; rejects when the tool fails. */
export function copyToClipboard(tool: ClipboardTool, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // xclip keeps running to serve the selection: do not wait on its output streams.
    const child = spawn(tool.command, tool.args, { stdio: ['pipe', 'ignore', 'ignore'], detached: false });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${tool.command} exited with code ${code}`))));
    child.stdin.end(clipboardBytes(tool, text));
  });
}
