// Line and column of an original-text offset. Lines are 1-based and end at \n, \r\n or \r; columns are
// 1-based and count Unicode code points (a CJK character or an emoji is one column).

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  /** Index (0-based) of the line holding `offset`. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineStart(line: number): number {
    return this.starts[line]!;
  }

  /** The text of a line without its line break. */
  lineText(line: number): string {
    const end = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
    return this.text.slice(this.starts[line]!, end).replace(/\r?\n$|\r$/, '');
  }

  get lineCount(): number {
    return this.starts.length;
  }

  // The last two positions computed (a finding's start and end): findings come in order, so counting
  // resumes from the nearest of them instead of from the start of the line (a 50 MB one-line draft with
  // many findings would otherwise be quadratic).
  private recent: Array<{ line: number; offset: number; column: number }> = [];

  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    let column = 1;
    let from = this.starts[line]!;
    for (const r of this.recent) {
      if (r.line === line && r.offset <= offset && r.offset > from) {
        from = r.offset;
        column = r.column;
      }
    }
    for (let i = from; i < offset; i++) {
      const c = this.text.charCodeAt(i);
      // The low half of a surrogate pair does not start a new column.
      if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && this.text.charCodeAt(i - 1) >= 0xd800 && this.text.charCodeAt(i - 1) <= 0xdbff)) column++;
    }
    this.recent = [{ line, offset, column }, ...this.recent.slice(0, 1)];
    return { line: line + 1, column };
  }
}

/** Where a span of `text` is: the position fields every finding carries, excerpt included. */
export function placeSpan(text: string, lines: LineIndex, offset: number, length: number) {
  const from = lines.position(offset);
  const to = lines.position(offset + length);
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column, offset, length, excerpt: text.slice(offset, offset + length) };
}
