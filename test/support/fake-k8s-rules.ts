// The API server's field rules that its OpenAPI schema does not state (pkg/apis/core/validation): name and label
// syntax, quantities, unique names, volume references, extended-resource requests, Deployment selectors.
type Obj = Record<string, unknown>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
// Resources of the kubelet itself; any other namespaced name (vendor.com/gpu) is an extended resource.
const NATIVE_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage']);

const asObj = (value: unknown): Obj | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
const asList = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);

function checkLabels(labels: unknown, where: string, errors: string[]): void {
  for (const [key, value] of Object.entries(asObj(labels) ?? {})) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = key.slice(slash + 1);
    if (prefix !== undefined && (!DNS_SUBDOMAIN.test(prefix) || prefix.length > 253))
      errors.push(`${where}: Invalid value: ${JSON.stringify(key)}: prefix part must be a DNS subdomain`);
    if (!LABEL_NAME.test(name) || name.length > 63)
      errors.push(`${where}: Invalid value: ${JSON.stringify(key)}: name part must be a label name`);
    if (typeof value === 'string' && (!LABEL_VALUE.test(value) || value.length > 63))
      errors.push(
        `${where}: Invalid value: ${JSON.stringify(value)}: a valid label must be 63 characters or less`,
      );
  }
}

function checkMeta(meta: unknown, nameRule: RegExp, errors: string[]): void {
  const m = asObj(meta);
  if (!m) return void errors.push('metadata.name: Required value');
  const name = m['name'];
  if (typeof name !== 'string' || !nameRule.test(name) || name.length > 253)
    errors.push(`metadata.name: Invalid value: ${JSON.stringify(name)}`);
  checkLabels(m['labels'], 'metadata.labels', errors);
}

function checkQuantity(value: unknown, where: string, errors: string[]): void {
  if (typeof value === 'string' && !QUANTITY.test(value))
    errors.push(`${where}: Invalid value: ${JSON.stringify(value)}: must be a quantity`);
}

function checkUnique(items: Obj[], where: string, errors: string[]): void {
  const seen = new Set<unknown>();
  items.forEach((item, i) => {
    if (seen.has(item['name']))
      errors.push(`${where}[${i}].name: Duplicate value: ${JSON.stringify(item['name'])}`);
    seen.add(item['name']);
  });
}

function checkContainer(c: Obj, at: string, volumes: Set<unknown>, errors: string[]): void {
  if (typeof c['name'] === 'string' && !DNS_LABEL.test(c['name']))
    errors.push(`${at}.name: Invalid value: ${JSON.stringify(c['name'])}`);
  if (c['image'] === '') errors.push(`${at}.image: Required value`);
  for (const [i, env] of asList(c['env']).entries()) {
    if (env['value'] !== undefined && env['valueFrom'] !== undefined)
      errors.push(
        `${at}.env[${i}].valueFrom: Invalid value: may not be specified when \`value\` is not empty`,
      );
  }
  const resources = asObj(c['resources']) ?? {};
  const limits = asObj(resources['limits']) ?? {};
  const requests = asObj(resources['requests']) ?? {};
  for (const [group, list] of [
    ['limits', limits],
    ['requests', requests],
  ] as const) {
    for (const [key, value] of Object.entries(list))
      checkQuantity(value, `${at}.resources.${group}[${key}]`, errors);
  }
  // Extended resources cannot be overcommitted: a request, when given, must equal the limit.
  for (const [key, value] of Object.entries(requests)) {
    if (!NATIVE_RESOURCES.has(key) && key.includes('/') && limits[key] !== undefined && limits[key] !== value)
      errors.push(`${at}.resources.requests[${key}]: Invalid value: must be equal to ${key} limit`);
  }
  asList(c['volumeMounts']).forEach((mount, i) => {
    if (!volumes.has(mount['name']))
      errors.push(`${at}.volumeMounts[${i}].name: Not found: ${JSON.stringify(mount['name'])}`);
  });
  const ports = asList(c['ports']);
  const named = ports.filter((p) => p['name'] !== undefined);
  checkUnique(named, `${at}.ports`, errors);
}

function checkPodSpec(spec: unknown, where: string, errors: string[]): void {
  const s = asObj(spec);
  if (!s) return;
  const volumes = asList(s['volumes']);
  checkUnique(volumes, `${where}.volumes`, errors);
  volumes.forEach((v, i) => {
    if (!DNS_LABEL.test(String(v['name']))) errors.push(`${where}.volumes[${i}].name: Invalid value`);
    checkQuantity(asObj(v['emptyDir'])?.['sizeLimit'], `${where}.volumes[${i}].emptyDir.sizeLimit`, errors);
  });
  const names = new Set(volumes.map((v) => v['name']));
  const containers = asList(s['containers']);
  // A missing list is the schema's finding; an empty one only the API server refuses.
  if (Array.isArray(s['containers']) && containers.length === 0)
    errors.push(`${where}.containers: Required value`);
  checkUnique(containers, `${where}.containers`, errors);
  for (const [i, c] of containers.entries()) checkContainer(c, `${where}.containers[${i}]`, names, errors);
  checkLabels(s['nodeSelector'], `${where}.nodeSelector`, errors);
}

/** The problems the API server's own validation finds in an object of `kind` beyond its OpenAPI schema. */
export function apiServerRules(kind: string, body: Obj): string[] {
  const errors: string[] = [];
  const spec = asObj(body['spec']);
  const namedLikeService = kind === 'Service';
  const nameRule = namedLikeService ? DNS_1035 : kind === 'Namespace' ? DNS_LABEL : DNS_SUBDOMAIN;
  if (!['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].includes(kind))
    checkMeta(body['metadata'], nameRule, errors);
  if (namedLikeService && String(asObj(body['metadata'])?.['name'] ?? '').length > 63)
    errors.push('metadata.name: Invalid value: must be no more than 63 characters');
  switch (kind) {
    case 'Pod':
      checkPodSpec(spec, 'spec', errors);
      break;
    case 'Deployment':
    case 'Job': {
      const template = asObj(spec?.['template']);
      const templateLabels = asObj(asObj(template?.['metadata'])?.['labels']) ?? {};
      const selector = asObj(asObj(spec?.['selector'])?.['matchLabels']);
      if (kind === 'Deployment' && (!selector || Object.keys(selector).length === 0))
        errors.push('spec.selector: Required value');
      for (const [k, v] of Object.entries(selector ?? {})) {
        if (templateLabels[k] !== v)
          errors.push(
            'spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`',
          );
      }
      checkLabels(templateLabels, 'spec.template.metadata.labels', errors);
      checkPodSpec(template?.['spec'], 'spec.template.spec', errors);
      const policy = asObj(template?.['spec'])?.['restartPolicy'];
      if (kind === 'Deployment' && policy !== undefined && policy !== 'Always')
        errors.push(`spec.template.spec.restartPolicy: Unsupported value: ${JSON.stringify(policy)}`);
      if (kind === 'Job' && policy !== 'Never' && policy !== 'OnFailure')
        errors.push(`spec.template.spec.restartPolicy: Required value: Never or OnFailure`);
      break;
    }
    case 'Service': {
      if (asList(spec?.['ports']).length === 0 && spec?.['clusterIP'] !== 'None')
        errors.push('spec.ports: Required value');
      checkUnique(
        asList(spec?.['ports']).filter((p) => p['name'] !== undefined),
        'spec.ports',
        errors,
      );
      checkLabels(spec?.['selector'], 'spec.selector', errors);
      break;
    }
    case 'Secret':
      for (const [key, value] of Object.entries(asObj(body['data']) ?? {})) {
        if (typeof value === 'string' && !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
          errors.push(`data[${key}]: Invalid value: must be base64`);
      }
      break;
  }
  return errors;
}
