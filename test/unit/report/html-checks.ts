// Structural checks of a generated HTML page: balanced elements, unique ids, no external references.

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const RAW_TEXT = new Set(['script', 'style']);

/** Problems that make the page malformed: unclosed or stray tags, duplicate ids, bad attribute syntax. */
export function wellFormednessProblems(html: string): string[] {
  const problems: string[] = [];
  if (!html.startsWith('<!DOCTYPE html>')) problems.push('missing doctype');
  const stack: string[] = [];
  const ids = new Set<string>();
  const tag =
    /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"]*")?)*)\s*(\/?)>|<!DOCTYPE html>|<!--[\s\S]*?-->|</g;
  let match: RegExpExecArray | null = tag.exec(html);
  while (match !== null) {
    const [whole, closing, rawName, attrs, selfClosing] = match;
    if (whole === '<') {
      problems.push(`stray "<" at ${match.index}: ${html.slice(match.index, match.index + 40)}`);
    } else if (rawName) {
      const name = rawName.toLowerCase();
      for (const id of (attrs ?? '').matchAll(/\sid="([^"]*)"/g)) {
        if (ids.has(id[1] as string)) problems.push(`duplicate id ${id[1]}`);
        ids.add(id[1] as string);
      }
      if (closing) {
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}> at ${match.index}`);
      } else if (!selfClosing && !VOID.has(name)) {
        stack.push(name);
        if (RAW_TEXT.has(name)) {
          // Skip the raw text up to the matching end tag.
          const end = html.indexOf(`</${name}>`, tag.lastIndex);
          if (end < 0) problems.push(`<${name}> never closed`);
          else tag.lastIndex = end;
        }
      }
    }
    match = tag.exec(html);
  }
  for (const open of stack) problems.push(`<${open}> never closed`);
  return problems;
}

/** Every way the page could fetch something at view time. */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const pattern of [
    /\s(?:src|href|xlink:href|action|poster|srcset)=/gi,
    /url\(/gi,
    /@import/gi,
    /\bhttps?:\/\//gi,
    /\/\/[a-z0-9.-]+\.[a-z]{2,}\//gi,
  ]) {
    for (const m of html.matchAll(pattern))
      found.push(html.slice(Math.max(0, (m.index ?? 0) - 20), (m.index ?? 0) + 40));
  }
  return found;
}
