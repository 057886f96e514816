/*
 * Columns as other tools count them. A finding's columns count bytes of the original
 * file; SARIF's default unit (and GitHub's annotations) is UTF-16 code units of the
 * decoded text. A file that is valid UTF-8 is decoded as UTF-8; any other file is
 * taken as Latin-1, one byte one unit, so its byte columns stand.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Converts byte columns of one file's findings to UTF-16 columns. */
export type ColumnMap = (at: number, byteCol: number) => number;

/**
 * The converter for a file whose Latin-1 text is `text`: `at` is a byte offset and
 * `byteCol` its 1-based byte column.
 */
export function utf16Columns(text: string | undefined): ColumnMap {
  // eslint-disable-next-line no-control-regex
  if (text === undefined || !/[^\x00-\x7f]/.test(text)) return (_at, byteCol) => byteCol;
  try {
    utf8.decode(Buffer.from(text, 'latin1'));
  } catch {
    return (_at, byteCol) => byteCol;
  }
  return (at, byteCol) => {
    const start = at - (byteCol - 1);
    if (start < 0) return byteCol;
    const prefix = text.slice(start, at);
    // eslint-disable-next-line no-control-regex
    return /[^\x00-\x7f]/.test(prefix) ? new TextDecoder('utf-8').decode(Buffer.from(prefix, 'latin1')).length + 1 : byteCol;
  };
}

/** One converter per file, made when first asked for. */
export function columnMaps(source: (file: string) => string | undefined): (file: string) => ColumnMap {
  const maps = new Map<string, ColumnMap>();
  return (file) => {
    let m = maps.get(file);
    if (!m) maps.set(file, (m = utf16Columns(source(file))));
    return m;
  };
}
