/*
 * A source file as the analyzer sees it: the original bytes decoded as Latin-1,
 * so that string index i is byte offset i whatever the file contains (UTF-8,
 * Latin-1, tabs, CRLF). Lines end at '\n'; a '\r' before it belongs to the line's
 * end, never to a column count. Columns are 1-based byte counts.
 */

/** Where a file's lines start; turns byte offsets into 1-based lines and byte columns. */
export class LineIndex {
  constructor(
    readonly file: string,
    /** Byte offset at which each line starts; lineStarts[0] = 0. */
    protected readonly lineStarts: ArrayLike<number>,
  ) {}

  /** From the line lengths a FileSummary carries (see lineLengths). */
  static fromLengths(file: string, lengths: ArrayLike<number>): LineIndex {
    // Exactly one 4-byte slot a line: resolution keeps the index of every file it reports in.
    const starts = new Uint32Array(Math.max(1, lengths.length));
    for (let i = 0; i + 1 < lengths.length; i++) starts[i + 1] = starts[i] + lengths[i];
    return new LineIndex(file, starts);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Each line's length in bytes, its '\n' included (the last line: to the end). */
  lineLengths(total: number): number[] {
    const n = this.lineStarts.length;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = (i + 1 < n ? this.lineStarts[i + 1] : total) - this.lineStarts[i];
    return out;
  }

  /** 1-based line and byte column of a byte offset. */
  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.lineStarts[lo] + 1 };
  }
}

export class SourceText extends LineIndex {
  constructor(
    file: string,
    readonly text: string,
  ) {
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    super(file, starts);
  }

  static fromBuffer(file: string, buf: Buffer): SourceText {
    return new SourceText(file, buf.toString('latin1'));
  }

  /** The text of 1-based line n without its line terminator. */
  lineText(n: number): string {
    const start = this.lineStarts[n - 1];
    if (start === undefined) return '';
    let end = n < this.lineStarts.length ? this.lineStarts[n] - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }
}

/** Latin-1 string (one char per byte) back to a JS string for display: UTF-8 if it decodes. */
export function displayText(latin1: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x80-\xff]/.test(latin1)) return latin1;
  const buf = Buffer.from(latin1, 'latin1');
  const utf8 = buf.toString('utf8');
  return utf8.includes('\ufffd') ? latin1 : utf8;
}
