// Object validation of the fake Kubernetes API server: the subset of the real API's rules the controller relies on.
type Obj = Record<string, unknown>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const asObj = (value: unknown): Obj | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;

function checkLabels(labels: unknown, where: string, errors: string[]): void {
  if (labels === undefined) return;
  const map = asObj(labels);
  if (!map) return void errors.push(`${where}: must be a map`);
  for (const [key, value] of Object.entries(map)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = key.slice(slash + 1);
    if (prefix !== undefined && (!DNS_SUBDOMAIN.test(prefix) || prefix.length > 253)) {
      errors.push(`${where}: invalid label key prefix ${JSON.stringify(key)}`);
    }
    if (!LABEL_NAME.test(name) || name.length > 63)
      errors.push(`${where}: invalid label key ${JSON.stringify(key)}`);
    if (typeof value !== 'string' || !LABEL_VALUE.test(value) || value.length > 63) {
      errors.push(`${where}: invalid label value ${JSON.stringify(value)} for ${key}`);
    }
  }
}

function checkMeta(meta: unknown, nameRule: RegExp, errors: string[]): void {
  const m = asObj(meta);
  if (!m) return void errors.push('metadata: required');
  const name = m['name'];
  if (typeof name !== 'string' || !nameRule.test(name) || name.length > 63) {
    errors.push(`metadata.name: invalid ${JSON.stringify(name)}`);
  }
  checkLabels(m['labels'], 'metadata.labels', errors);
}

function checkPodSpec(spec: unknown, where: string, errors: string[]): void {
  const s = asObj(spec);
  if (!s) return void errors.push(`${where}: required`);
  const containers = s['containers'];
  if (!Array.isArray(containers) || containers.length === 0) errors.push(`${where}.containers: required`);
  for (const [i, raw] of (Array.isArray(containers) ? containers : []).entries()) {
    const c = asObj(raw) ?? {};
    const at = `${where}.containers[${i}]`;
    if (typeof c['name'] !== 'string' || !DNS_LABEL.test(c['name'])) errors.push(`${at}.name: invalid`);
    if (typeof c['image'] !== 'string' || c['image'] === '') errors.push(`${at}.image: required`);
    for (const key of ['command', 'args']) {
      const list = c[key];
      if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))) {
        errors.push(`${at}.${key}: must be a list of strings`);
      }
    }
    for (const port of (c['ports'] as Obj[] | undefined) ?? []) {
      const n = port['containerPort'];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65_535)
        errors.push(`${at}.ports: invalid port`);
    }
    for (const env of (c['env'] as Obj[] | undefined) ?? []) {
      if (typeof env['name'] !== 'string' || env['name'] === '') errors.push(`${at}.env: name required`);
      if (env['value'] !== undefined && env['valueFrom'] !== undefined) {
        errors.push(`${at}.env[${String(env['name'])}]: value and valueFrom are exclusive`);
      }
    }
    const resources = asObj(c['resources']) ?? {};
    for (const group of ['limits', 'requests']) {
      for (const [key, value] of Object.entries(asObj(resources[group]) ?? {})) {
        if (typeof value !== 'string' || !QUANTITY.test(value)) {
          errors.push(`${at}.resources.${group}[${key}]: invalid quantity ${JSON.stringify(value)}`);
        }
      }
    }
  }
  const policy = s['restartPolicy'];
  if (policy !== undefined && !['Always', 'OnFailure', 'Never'].includes(policy as string)) {
    errors.push(`${where}.restartPolicy: unsupported ${JSON.stringify(policy)}`);
  }
}

/** Validates an object of `kind`; returns the list of problems (empty when valid). */
export function validateObject(kind: string, body: Obj): string[] {
  const errors: string[] = [];
  if (body['kind'] !== undefined && body['kind'] !== kind) errors.push(`kind: expected ${kind}`);
  const spec = asObj(body['spec']);
  switch (kind) {
    case 'Pod':
      checkMeta(body['metadata'], DNS_SUBDOMAIN, errors);
      checkPodSpec(spec, 'spec', errors);
      break;
    case 'Deployment': {
      checkMeta(body['metadata'], DNS_SUBDOMAIN, errors);
      const template = asObj(spec?.['template']);
      const selector = asObj(asObj(spec?.['selector'])?.['matchLabels']);
      const templateLabels = asObj(asObj(template?.['metadata'])?.['labels']) ?? {};
      if (!selector || Object.keys(selector).length === 0) errors.push('spec.selector.matchLabels: required');
      for (const [k, v] of Object.entries(selector ?? {})) {
        if (templateLabels[k] !== v) errors.push('spec.template.metadata.labels: must match spec.selector');
      }
      checkLabels(templateLabels, 'spec.template.metadata.labels', errors);
      checkPodSpec(template?.['spec'], 'spec.template.spec', errors);
      const policy = asObj(template?.['spec'])?.['restartPolicy'];
      if (policy !== undefined && policy !== 'Always')
        errors.push('spec.template.spec.restartPolicy: must be Always');
      break;
    }
    case 'Service': {
      checkMeta(body['metadata'], DNS_1035, errors);
      const ports = spec?.['ports'];
      if (!Array.isArray(ports) || ports.length === 0) errors.push('spec.ports: required');
      for (const port of Array.isArray(ports) ? (ports as Obj[]) : []) {
        const n = port['port'];
        if (typeof n !== 'number' || n < 1 || n > 65_535) errors.push('spec.ports[].port: invalid');
      }
      checkLabels(spec?.['selector'], 'spec.selector', errors);
      break;
    }
    case 'Secret':
      checkMeta(body['metadata'], DNS_SUBDOMAIN, errors);
      for (const value of Object.values(asObj(body['data']) ?? {})) {
        if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
          errors.push('data: values must be base64');
      }
      break;
    default:
      errors.push(`kind ${kind}: not served by the fake`);
  }
  return errors;
}
