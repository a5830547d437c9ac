// Errors the CLI reports as one line on stderr (`huashu: <message>`) with exit code 2.

/** A mistake in how huashu was called: a bad option value, no input, an unknown rule name. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_OK = 0;
/** At least one error-level finding (or more warnings than --max-warnings allows). */
export const EXIT_FINDINGS = 1;
/** Usage, configuration or input error. */
export const EXIT_USAGE = 2;
