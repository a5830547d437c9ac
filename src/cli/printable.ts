// Names that come from the data — file names, CSV headers, agent names, role values — are printed on a
// terminal, where an escape sequence in them would move the cursor, retitle the window or hide text
// ("A\x1b]0;PWNED\x07gent"). Each control character becomes '?', as `ls` shows them.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** `text` with every C0/C1 control character (and DEL) shown as '?'. */
export const printable = (text: string): string => (CONTROL.test(text) ? text.replace(CONTROLS, '?') : text);
