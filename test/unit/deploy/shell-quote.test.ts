// shellSplit reads exported command lines into execFile words as a POSIX shell would, and refuses what needs a shell.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellJoin, shellSplit } from '../../../src/deploy/shell-quote.js';
import { InvalidArgumentError } from '../../../src/errors.js';

describe('shellSplit', () => {
  it.each([
    ['words', 'docker run -d', ['docker', 'run', '-d']],
    ['blanks and tabs', '  a \t b  ', ['a', 'b']],
    ['empty line', '', []],
    ['single quotes', `--gpus '"device=0,1"'`, ['--gpus', '"device=0,1"']],
    ['double quotes', `"a b" "it's"`, ['a b', "it's"]],
    ['escapes in double quotes', `"\\"\\\\\\$x\\y"`, ['"\\$x\\y']],
    ['adjacent quoting', `a'b c'"d"`, ['ab cd']],
    ['empty quoted word', `'' ""`, ['', '']],
    ['backslash outside quotes', 'a\\ b \\$HOME', ['a b', '$HOME']],
    ['line continuation', 'docker run \\\n  -d', ['docker', 'run', '-d']],
    ['leading comment line', '# a placeholder note\ndocker run', ['docker', 'run']],
    ['trailing comment', 'a b # c d', ['a', 'b']],
    ['hash inside a word', 'a#b', ['a#b']],
    ['tilde inside a word', 'a~b', ['a~b']],
    ['quoted specials', `'$HOME' '*' '<IMAGE>' '{"a": 1}'`, ['$HOME', '*', '<IMAGE>', '{"a": 1}']],
  ])('reads %s', (_name, line, words) => {
    expect(shellSplit(line)).toEqual(words);
  });

  it.each([
    ['a variable', 'HF_TOKEN="$HF_TOKEN" vllm', '$ expansion'],
    ['an unquoted variable', 'echo $HOME', '"$"'],
    ['a command substitution', 'echo `id`', '"`"'],
    ['a glob', 'ls *.ts', '"*"'],
    ['a redirection', 'run <IMAGE>', '"<"'],
    ['a pipe', 'a | b', '"|"'],
    ['a list', 'a; b', '";"'],
    ['a leading tilde', 'cat ~/x', '"~"'],
    ['a second command', 'a\nb', 'a second command'],
    ['an unclosed single quote', "a 'b", 'an unclosed single quote'],
    ['an unclosed double quote', 'a "b', 'an unclosed double quote'],
    ['a trailing backslash', 'a \\', 'a trailing backslash'],
  ])('refuses %s', (_name, line, what) => {
    const attempt = () => shellSplit(line);
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(what);
  });

  it('reads back every joined list of words unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' })), (words) => {
        expect(shellSplit(shellJoin(words))).toEqual(words);
      }),
      { numRuns: 500 },
    );
  });
});
