// Object validation of the fake Kubernetes API server and of exported manifests, against the official OpenAPI schema
// of Kubernetes 1.33.0: types, enums, required fields and formats through the ajv validators kubernetes-models
// compiled from it, unknown fields through the models @kubernetes/client-node generated from the same spec, and
// the API server's own field rules the OpenAPI cannot state (name and label syntax, quantities, references).
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Node } from 'kubernetes-models/v1/Node';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parseAllDocuments } from 'yaml';
import { unknownFields as unknownFieldsOf } from '../../src/controllers/kubernetes/unknown-fields.js';
import { apiServerRules } from './fake-k8s-rules.js';

type Obj = Record<string, unknown>;

/** The Kubernetes version whose OpenAPI schema the objects are checked against (kubernetes-models 4.5.1). */
export const KUBERNETES_SCHEMA_VERSION = '1.33.0';

interface Validatable {
  validate(): void;
}

// kind -> the kubernetes-models class (ajv validator) and the client-node model name (field list).
const KINDS: Record<string, { model: new (data: never) => Validatable; type: string; apiVersion: string }> = {
  Pod: { model: Pod, type: 'V1Pod', apiVersion: 'v1' },
  Service: { model: Service, type: 'V1Service', apiVersion: 'v1' },
  Secret: { model: Secret, type: 'V1Secret', apiVersion: 'v1' },
  Node: { model: Node, type: 'V1Node', apiVersion: 'v1' },
  Namespace: { model: Namespace, type: 'V1Namespace', apiVersion: 'v1' },
  ConfigMap: { model: ConfigMap, type: 'V1ConfigMap', apiVersion: 'v1' },
  ServiceAccount: { model: ServiceAccount, type: 'V1ServiceAccount', apiVersion: 'v1' },
  PersistentVolumeClaim: { model: PersistentVolumeClaim, type: 'V1PersistentVolumeClaim', apiVersion: 'v1' },
  Deployment: { model: Deployment, type: 'V1Deployment', apiVersion: 'apps/v1' },
  Job: { model: Job, type: 'V1Job', apiVersion: 'batch/v1' },
  Role: { model: Role, type: 'V1Role', apiVersion: 'rbac.authorization.k8s.io/v1' },
  RoleBinding: { model: RoleBinding, type: 'V1RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1' },
  ClusterRole: { model: ClusterRole, type: 'V1ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1' },
  ClusterRoleBinding: {
    model: ClusterRoleBinding,
    type: 'V1ClusterRoleBinding',
    apiVersion: 'rbac.authorization.k8s.io/v1',
  },
};

interface AjvIssue {
  instancePath: string;
  message?: string;
  params?: { allowedValues?: unknown[]; missingProperty?: string };
}

/** A JSON pointer (`/spec/containers/0/name`) as the API server writes field paths (`spec.containers[0].name`). */
export function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

/** What the OpenAPI schema refuses in `body`: one `path: problem` line each. */
export function schemaProblems(kind: string, body: Obj): string[] {
  const entry = KINDS[kind];
  if (!entry) return [`kind ${kind}: not known to this validator`];
  try {
    new entry.model(body as never).validate();
    return [];
  } catch (error) {
    const issues = (error as { errors?: AjvIssue[] }).errors;
    if (!issues) throw error;
    return issues.map((issue) => {
      const missing = issue.params?.missingProperty;
      const path = fieldPath(issue.instancePath + (missing ? `/${missing}` : ''));
      if (missing) return `${path}: Required value`;
      const allowed = issue.params?.allowedValues;
      if (allowed)
        return `${path}: Unsupported value: supported values: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
      return `${path || '(root)'}: Invalid value: ${issue.message ?? 'invalid'}`;
    });
  }
}

/** Field paths in `body` that the schema of `kind` does not define (what strict field validation refuses). */
export function unknownFields(kind: string, body: Obj): string[] {
  const entry = KINDS[kind];
  return entry ? unknownFieldsOf(body, entry.type) : [];
}

/**
 * Everything the API server would refuse in an object of `kind` (unknown fields included, as strict field
 * validation does): one `path: problem` line each, empty when valid.
 */
export function validateObject(kind: string, body: Obj): string[] {
  const problems: string[] = [];
  if (body['kind'] !== undefined && body['kind'] !== kind)
    problems.push(`kind: Invalid value: expected ${kind}`);
  const apiVersion = KINDS[kind]?.apiVersion;
  if (body['apiVersion'] !== undefined && apiVersion && body['apiVersion'] !== apiVersion)
    problems.push(`apiVersion: Invalid value: expected ${apiVersion}`);
  problems.push(...unknownFields(kind, body).map((path) => `${path}: unknown field`));
  problems.push(...schemaProblems(kind, body));
  problems.push(...apiServerRules(kind, body));
  return problems;
}

/** One document of a multi-document YAML manifest with what the API server would refuse in it. */
export interface ManifestCheck {
  kind: string;
  name: string;
  problems: string[];
}

/** Validates every document of a YAML manifest (comment lines allowed), each as its own `kind` says. */
export function validateManifest(text: string): ManifestCheck[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) return [{ kind: '?', name: '?', problems: doc.errors.map((e) => e.message) }];
    const object = doc.toJS() as Obj | null;
    if (!object) return [];
    const kind = String(object['kind'] ?? '?');
    const name = String((object['metadata'] as Obj | undefined)?.['name'] ?? '?');
    return [{ kind, name, problems: validateObject(kind, object) }];
  });
}
