// HTTP pieces of the fake Kubernetes API server: Status bodies as the real server writes them (422 with a cause per
// field, RBAC's 403), label selectors, verbs, planned failures, and a KubeConfig pointing at a fake.
import { KubeConfig } from '@kubernetes/client-node';

type Obj = Record<string, unknown>;

/** A planned failure: the next `times` requests matching `method` and `path` answer `status`. */
export interface InjectedFailure {
  method: string;
  path: RegExp;
  status: number;
  times: number;
}

/** An RBAC denial: requests for `verb` on `resource` in `namespace` answer 403 as the real API server does. */
export interface ForbiddenRule {
  namespace: string;
  /** @default 'pods' */
  resource?: string;
  /** Kubernetes verb: `list`, `get`, `create` or `delete`; all of them when left out. */
  verb?: 'list' | 'get' | 'create' | 'delete';
  /** The user named in the message. @default 'x' */
  user?: string;
}

export function verbOf(method: string, name: string | undefined): string {
  if (method === 'POST') return 'create';
  if (method === 'DELETE') return 'delete';
  if (method === 'GET') return name ? 'get' : 'list';
  return method.toLowerCase();
}

// The 422 Status of the real API server: `Kind "name" is invalid: path: problem, ...` with one cause per field.
export function invalidStatus(kind: string, name: string, problems: string[]): Obj {
  const causes = problems.map((problem) => {
    const split = problem.indexOf(': ');
    return { reason: 'FieldValueInvalid', field: problem.slice(0, split), message: problem.slice(split + 2) };
  });
  return {
    ...statusObj(422, 'Invalid', `${kind} "${name}" is invalid: ${problems.join(', ')}`),
    details: { name, kind: kind.toLowerCase(), causes },
  };
}

export function statusObj(code: number, reason: string, message: string): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** Equality (`k=v`, `k==v`), inequality (`k!=v`) and existence (`k`) selectors, comma-separated. */
export function matchesSelector(object: Obj, selector: string): boolean {
  const labels = ((object['metadata'] as Obj)['labels'] as Record<string, string> | undefined) ?? {};
  return selector
    .split(',')
    .filter(Boolean)
    .every((term) => {
      const neq = term.split('!=');
      if (neq.length === 2) return labels[neq[0] as string] !== neq[1];
      const [k = '', v] = term.split(/==?/);
      return v === undefined ? k in labels : labels[k] === v;
    });
}

/** The 403 Status of an RBAC denial, worded as the real API server words it. */
export function forbiddenStatus(
  rule: ForbiddenRule,
  request: {
    namespace: string;
    resource: string;
    name: string | undefined;
    sub: string | undefined;
    verb: string;
  },
): Obj {
  const group = request.resource === 'deployments' ? 'apps' : '';
  const what = request.sub ? `${request.resource}/${request.sub}` : request.resource;
  return statusObj(
    403,
    'Forbidden',
    `${what}${request.name ? ` "${request.name}"` : ''} is forbidden: User "${rule.user ?? 'x'}" cannot ${request.verb} resource "${what}" in API group "${group}" in the namespace "${request.namespace}"`,
  );
}

/** A KubeConfig pointing at a fake API server URL (usable from another process). */
export function fakeKubeConfig(url: string, namespace = 'default'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
    users: [{ name: 'fake', token: 'fake-token' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'fake', namespace }],
    currentContext: 'fake',
  });
  return kc;
}
