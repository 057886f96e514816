/*
 * The IR text's tokens (docs/ir.md): words, %temps, @labels, $globals (with an
 * optional +/- offset), numbers, "strings" with escapes, punctuation. Errors are
 * IRError with the span (file, line, col) of the offending character. The token list
 * always ends with an `eof` token, so the parser can peek without bounds checks.
 */
import { IRError } from '../errors.js';

export type TokKind = 'word' | 'temp' | 'label' | 'global' | 'num' | 'str' | 'punct' | 'eof';
export interface Tok {
  kind: TokKind;
  text: string;
  line: number;
  col: number;
  /** word/temp/label: the name; global: name; num: value. */
  name?: string;
  value?: bigint;
  offset?: number;
  bytes?: Uint8Array;
}

const NAME = /[A-Za-z0-9_.]/;

export function lex(src: string, file: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const err = (msg: string, col: number): never => {
    throw new IRError(msg, { span: { file, line, col } });
  };
  const readName = (start: number): number => {
    let j = start;
    while (j < src.length && NAME.test(src[j]!)) j++;
    return j;
  };
  const readNumber = (start: number): number => {
    let j = start;
    if (src[j] === '-') j++;
    if (src[j] === '0' && (src[j + 1] === 'x' || src[j + 1] === 'X')) {
      j += 2;
      while (j < src.length && /[0-9a-fA-F]/.test(src[j]!)) j++;
    } else while (j < src.length && /[0-9]/.test(src[j]!)) j++;
    return j;
  };
  const parseNum = (text: string, col: number): bigint => {
    const neg = text.startsWith('-');
    const body = neg ? text.slice(1) : text;
    if (body === '' || body === '0x' || body === '0X') err(`bad number '${text}'`, col);
    const v = BigInt(body);
    return neg ? -v : v;
  };
  while (i < src.length) {
    const c = src[i]!;
    const col = i - lineStart + 1;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '%' || c === '@') {
      const j = readName(i + 1);
      if (j === i + 1) err(`expected a name after '${c}'`, col);
      toks.push({ kind: c === '%' ? 'temp' : 'label', text: src.slice(i, j), name: src.slice(i + 1, j), line, col });
      i = j;
      continue;
    }
    if (c === '$') {
      const j = readName(i + 1);
      if (j === i + 1) err(`expected a name after '$'`, col);
      let offset = 0;
      let k = j;
      if ((src[j] === '+' || src[j] === '-') && /[0-9]/.test(src[j + 1] ?? '')) {
        k = readNumber(j + 1);
        const v = Number(parseNum(src.slice(j + 1, k), col));
        offset = src[j] === '-' ? -v : v;
      }
      toks.push({ kind: 'global', text: src.slice(i, k), name: src.slice(i + 1, j), offset, line, col });
      i = k;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const j = readNumber(i);
      const text = src.slice(i, j);
      toks.push({ kind: 'num', text, value: parseNum(text, col), line, col });
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const j = readName(i);
      toks.push({ kind: 'word', text: src.slice(i, j), name: src.slice(i, j), line, col });
      i = j;
      continue;
    }
    if (c === '"') {
      const bytes: number[] = [];
      let j = i + 1;
      for (;;) {
        if (j >= src.length || src[j] === '\n') err('unterminated string', col);
        const ch = src[j]!;
        if (ch === '"') break;
        if (ch === '\\') {
          const e = src[j + 1];
          if (e === 'n') (bytes.push(10), (j += 2));
          else if (e === 't') (bytes.push(9), (j += 2));
          else if (e === '\\' || e === '"') (bytes.push(e.charCodeAt(0)), (j += 2));
          else if (e !== undefined && /[0-7]/.test(e)) {
            let k = j + 1;
            while (k < j + 4 && /[0-7]/.test(src[k] ?? '')) k++;
            const v = parseInt(src.slice(j + 1, k), 8);
            if (v > 255) err('octal escape out of range', j - lineStart + 1);
            bytes.push(v);
            j = k;
          } else err(`bad escape '\\${e ?? ''}'`, j - lineStart + 1);
          continue;
        }
        const cp = src.codePointAt(j)!;
        const s = String.fromCodePoint(cp);
        for (const b of new TextEncoder().encode(s)) bytes.push(b);
        j += s.length;
      }
      toks.push({ kind: 'str', text: src.slice(i, j + 1), bytes: Uint8Array.from(bytes), line, col });
      i = j + 1;
      continue;
    }
    if ('=,(){}:!+'.includes(c)) {
      toks.push({ kind: 'punct', text: c, line, col });
      i++;
      continue;
    }
    err(`unexpected character '${c}'`, col);
  }
  toks.push({ kind: 'eof', text: '<end of input>', line, col: i - lineStart + 1 });
  return toks;
}
