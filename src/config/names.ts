// Config file names and the pack-or-config test: what finding a config needs, without the YAML parser
// (parse.ts loads `yaml`, which costs more start-up than linting a draft; it is imported only when a
// config file is actually there).

/** Config file names, looked for in this order in each folder from the linted file's upward. */
export const CONFIG_FILES = ['huashu.config.yaml', '.huashurc.yaml', '.huashurc.json'] as const;

/** Does a YAML text look like a rule pack (top-level `pack:`) rather than a config? */
export function isPackText(text: string): boolean {
  return /^pack\s*:/m.test(text);
}
