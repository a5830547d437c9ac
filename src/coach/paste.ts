// Reading a draft the agent pastes or types into the terminal: any number of lines, finished with Ctrl-D
// or with two empty lines in a row. readline runs the terminal in raw mode, so Ctrl-D is a key it reads
// (not the end of standard input) and the prompts that follow can still read the keyboard.
import { createInterface } from 'node:readline';

export interface PasteOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** The pasted draft, lines joined with \n, trailing empty lines dropped. Rejects on Ctrl-C. */
export function readPastedDraft(options: PasteOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: options.input, output: options.output, terminal: true, prompt: '' });
    const lines: string[] = [];
    let interrupted = false;
    rl.on('line', (line) => {
      lines.push(line);
      const n = lines.length;
      if (n >= 2 && lines[n - 1] === '' && lines[n - 2] === '' && lines.some((l) => l.trim() !== '')) rl.close();
    });
    rl.on('SIGINT', () => {
      interrupted = true;
      rl.close();
    });
    rl.on('close', () => {
      if (interrupted) {
        reject(Object.assign(new Error('stopped'), { name: 'ExitPromptError' }));
        return;
      }
      while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
      resolve(lines.join('\n'));
    });
  });
}
