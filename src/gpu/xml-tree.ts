// Safe accessors over the loosely typed tree xml2js builds (explicitArray: false, trim: true).

/** A node of the tree: a text leaf, or an element whose children are nodes or arrays of nodes. */
export type XmlNode = string | { [name: string]: unknown };

/** Options xml2js is called with; node-nvidia-smi uses the same, so both trees have one shape. */
export const XML2JS_OPTIONS = { explicitArray: false, trim: true } as const;

function isElement(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** The single child element `name` (the first one when repeated), or undefined. */
export function xmlChild(node: unknown, name: string): unknown {
  if (!isElement(node)) return undefined;
  const value = node[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Every child `name`, whether xml2js stored one object or an array; empty when absent or text. */
export function xmlChildren(node: unknown, name: string): Record<string, unknown>[] {
  if (!isElement(node)) return [];
  const value = node[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter(isElement);
}

/** Text content of the path below `node` (`xmlText(gpu, 'fb_memory_usage', 'total')`). */
export function xmlText(node: unknown, ...path: string[]): string | undefined {
  let current: unknown = node;
  for (const name of path) current = xmlChild(current, name);
  if (typeof current === 'string') return current;
  // An element with attributes keeps its text under `_`.
  if (isElement(current) && typeof current['_'] === 'string') return current['_'];
  return undefined;
}

/** An attribute of an element (`xmlAttribute(gpu, 'id')`). */
export function xmlAttribute(node: unknown, name: string): string | undefined {
  const attributes = xmlChild(node, '$');
  return isElement(attributes) && typeof attributes[name] === 'string' ? attributes[name] : undefined;
}
