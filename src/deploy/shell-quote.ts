// POSIX shell quoting for commands we print for people to copy (never for commands we run), and its inverse.
import { InvalidArgumentError } from '../errors.js';

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word so a POSIX shell reads it back unchanged. */
export function shellQuote(word: string): string {
  if (word === '') return "''";
  if (SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** Joins words into a copy-pasteable command line. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

// Unquoted characters a shell would act on (expansion, globbing, redirection, lists, subshells, history).
const NEEDS_SHELL = new Set([...'$`|&;<>()*?[]{}!']);
// Inside double quotes a backslash escapes only these.
const DOUBLE_ESCAPES = new Set([...'$`"\\\n']);

/**
 * Splits one command line, as a POSIX shell would read it, into the words to hand to `execFile`: quotes,
 * backslashes, line continuations and `#` comments are honoured. Throws InvalidArgumentError when the line
 * needs a shell to mean what it says (variables, globs, redirections, several commands) or a quote is unclosed.
 */
export function shellSplit(line: string): string[] {
  const refuse = (at: number, what: string): never => {
    throw new InvalidArgumentError(
      'line',
      line,
      `one command without shell expansion (${what} at offset ${at})`,
    );
  };
  const words: string[] = [];
  let word: string | undefined;
  let ended = false;
  let i = 0;
  const push = (): void => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  while (i < line.length) {
    const c = line.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n') {
      push();
      // A newline ends the command; anything after it but blanks and comments is a second one.
      if (c === '\n' && words.length > 0) ended = true;
      i += 1;
      continue;
    }
    if (c === '#' && word === undefined) {
      while (i < line.length && line.charAt(i) !== '\n') i += 1;
      continue;
    }
    if (ended) refuse(i, 'a second command');
    if (c === '\\') {
      if (i + 1 >= line.length) refuse(i, 'a trailing backslash');
      // Backslash-newline joins lines; otherwise the next character is literal.
      if (line.charAt(i + 1) !== '\n') word = (word ?? '') + line.charAt(i + 1);
      i += 2;
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) refuse(i, 'an unclosed single quote');
      word = (word ?? '') + line.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= line.length) refuse(i, 'an unclosed double quote');
        const d = line.charAt(i);
        if (d === '"') break;
        if (d === '$' || d === '`') refuse(i, `${d} expansion`);
        if (d === '\\' && DOUBLE_ESCAPES.has(line.charAt(i + 1))) {
          if (line.charAt(i + 1) !== '\n') text += line.charAt(i + 1);
          i += 2;
        } else {
          text += d;
          i += 1;
        }
      }
      word = (word ?? '') + text;
      i += 1;
    } else if (NEEDS_SHELL.has(c) || (c === '~' && word === undefined)) {
      refuse(i, JSON.stringify(c));
    } else {
      word = (word ?? '') + c;
      i += 1;
    }
  }
  push();
  return words;
}
