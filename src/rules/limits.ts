// Bounds on what a rule pack may ask of us (hostile or careless packs), checked when a pack is read.
export const PACK_LIMITS = {
  /** Bytes of YAML in one pack. */
  bytes: 2 * 1024 * 1024,
  /** Rules in one pack. */
  rules: 2000,
  /** Nesting of YAML collections (a rule needs 5). */
  depth: 20,
  /** Characters in one regular expression. */
  regexLength: 10_000,
} as const;
