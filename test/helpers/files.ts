// Small shared helpers for tests that write files of their own.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** `file(name, content)`: writes `content` at `name` under the folder `dir()` gives (made when needed), returns the path. */
export function fileWriter(dir: () => string): (name: string, content: string) => string {
  return (name, content) => {
    const path = join(dir(), name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  };
}
