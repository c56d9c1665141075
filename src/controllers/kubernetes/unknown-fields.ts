// Fields a Kubernetes object does not define, found along the models @kubernetes/client-node generated from the
// official OpenAPI schema. The client drops such fields silently when it serialises a body, so a misspelt key in a
// user's toleration or affinity would vanish without a word; this finds it first.
import * as clientNode from '@kubernetes/client-node';

type ModelClass = { getAttributeTypeMap(): { baseName: string; type: string }[] };

/**
 * Paths in `value` (as the API server writes them, e.g. `tolerations[0].efect`) that the model `type` (a client
 * model name such as `V1Pod`, `Array<V1Toleration>`) does not define, each prefixed with `path`.
 */
export function unknownFields(value: unknown, type: string, path = ''): string[] {
  const out: string[] = [];
  walk(value, type, path, out);
  return out;
}

function walk(value: unknown, type: string, path: string, out: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value))
      for (const [i, item] of value.entries()) walk(item, array[1] as string, `${path}[${i}]`, out);
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === 'object')
      for (const [key, item] of Object.entries(value)) walk(item, map[1] as string, `${path}[${key}]`, out);
    return;
  }
  const model = (clientNode as unknown as Record<string, ModelClass | undefined>)[type];
  if (typeof model?.getAttributeTypeMap !== 'function' || typeof value !== 'object' || Array.isArray(value))
    return;
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const fieldType = fields.get(key);
    if (fieldType === undefined) out.push(at);
    else walk(item, fieldType, at, out);
  }
}
