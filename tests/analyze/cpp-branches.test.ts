// Dead branches under a configuration: directives are found on their own lines
// only, never inside block comments, with continuation lines joined.
import { describe, expect, it } from 'vitest';
import { branchRanges, cppConfig } from '../../src/analyze/cpp-branches.js';

const i386 = cppConfig([], { arch: 'i386' });
/** The dead ranges' texts. */
const dead = (text: string): string[] => branchRanges(text, i386).map(([a, b]) => text.slice(a, b));

describe('branchRanges', () => {
  it('finds a dead branch, with blanks before the #', () => {
    expect(dead('int a;\n  #  if 0\nint b;\n#endif\nint c;\n')).toEqual(['int b;\n']);
  });

  it('ignores directives inside a block comment opened at the end of a code line', () => {
    expect(dead('int a; /* old:\n#if 0\nint b;\n#endif\n */\nint c;\n')).toEqual([]);
    expect(dead('int a; /* one */ /* two\n#if 0\n*/\n#if 0\nint b;\n#endif\n')).toEqual(['int b;\n']);
  });

  it('reads a directive after a comment that closed on an earlier line', () => {
    expect(dead('/*\n * header\n */\n#ifdef __amd64__\nint b;\n#else\nint c;\n#endif\n')).toEqual(['int b;\n']);
  });

  it('joins continuation lines of a condition', () => {
    expect(dead('#if 0 \\\n    || 1\nint a;\n#endif\n')).toEqual([]);
    expect(dead('#if 0 \\\n    && 1\nint a;\n#endif\n')).toEqual(['int a;\n']);
  });

  it('is not fooled by a # inside code or a string', () => {
    expect(dead('char *s = "#if 0";\nint a;\n#define X 1\n')).toEqual([]);
  });
});
