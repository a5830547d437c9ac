// The names a config file may have (nearest folder first, then upward), without loading the YAML parser.
export const CONFIG_FILES = ['huashu.config.yaml', 'huashu.config.yml', '.huashurc.yaml', '.huashurc.yml', '.huashurc.json'] as const;

/** A pack rather than a config: an `extends` entry may name either. */
export function isPackText(text: string): boolean {
  return /^pack\s*:/m.test(text);
}
