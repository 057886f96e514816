/*
 * The tree-sitter-c parser, one per thread. Input is Latin-1-decoded text (one
 * char per byte), so node.startIndex/endIndex are byte offsets of the file.
 */
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';

let parser: Parser | undefined;

export function cParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(C as unknown as Parser.Language);
  }
  return parser;
}

export function parseC(text: string): Parser.Tree {
  // The default 32 KiB buffer rejects large inputs in some builds; size it to fit.
  return cParser().parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 16) });
}

const queries = new Map<string, Parser.Query>();

/** Compiles (and memoizes) a query; throws tree-sitter's error on bad syntax. */
export function compileQuery(source: string): Parser.Query {
  let q = queries.get(source);
  if (!q) {
    q = new Parser.Query(C as unknown as Parser.Language, source);
    queries.set(source, q);
  }
  return q;
}

export type SyntaxNode = Parser.SyntaxNode;
