// What it takes to run a study inside the cluster, next to the servers it measures: a Job for the tuner, its
// ServiceAccount with a Role limited to what the Kubernetes controller calls (and a ClusterRole to read nodes for
// `clusterCapacity()`), the study file in a ConfigMap and the journal on a PersistentVolumeClaim.
import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1ConfigMap,
  V1Job,
  V1PolicyRule,
  V1Role,
  V1RoleBinding,
  V1ServiceAccount,
} from '@kubernetes/client-node';

/** Inputs of `tunerJobManifests`. */
export interface TunerJobOptions {
  /** Name of the Job and of its ServiceAccount, Role, bindings and ConfigMap (a DNS-1123 label). */
  name: string;
  /** Namespace of the tuner and of the servers it starts. */
  namespace: string;
  /** Image with this package installed (its `autotune` on PATH). */
  image: string;
  /** The study file, mounted at `/etc/autotune/<studyFileName>`. */
  studyFile: string;
  /** @default 'study.yaml' */
  studyFileName?: string;
  /** Existing PersistentVolumeClaim for the journal; the tuner works in it, so `.autotune/` lands there. */
  journalClaim: string;
  /** Arguments of `autotune`. @default ['run', '/etc/autotune/<studyFileName>'] */
  args?: string[];
  /** Existing Secret with the Hugging Face token, exported to the tuner as HF_TOKEN. */
  hfTokenSecret?: { name: string; key: string };
}

/** Where the journal volume is mounted; the tuner's working directory. */
export const TUNER_WORKDIR = '/var/lib/autotune';

/** What the Kubernetes controller calls in its namespace: servers, their Services and Secrets, pod status and logs. */
// Inside the cluster the tuner measures Services directly: no port-forward, and no verb it never uses.
export const CONTROLLER_RULES: V1PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'services', 'secrets'], verbs: ['create', 'list', 'delete'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'list', 'delete'] },
];

/** What `clusterCapacity()` reads, cluster-wide. */
export const CAPACITY_RULES: V1PolicyRule[] = [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }];

/** The objects that run a study inside the cluster, in the order to apply them. */
export function tunerJobManifests(
  options: TunerJobOptions,
): [V1ServiceAccount, V1Role, V1RoleBinding, V1ClusterRole, V1ClusterRoleBinding, V1ConfigMap, V1Job] {
  const { name, namespace } = options;
  const labels = { 'app.kubernetes.io/name': 'inference-autotuner', 'app.kubernetes.io/instance': name };
  const meta = { name, namespace, labels };
  const fileName = options.studyFileName ?? 'study.yaml';
  const subject = { kind: 'ServiceAccount', name, namespace };
  // Nodes are cluster-scoped: reading them takes a ClusterRole, named after the namespace to stay unique.
  const clusterName = `${namespace}-${name}-nodes`;
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta, rules: CONTROLLER_RULES },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [subject],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: clusterName, labels },
      rules: CAPACITY_RULES,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: clusterName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: [subject],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { [fileName]: options.studyFile } },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta,
      spec: {
        // A failed tuner is resumed from its journal by hand (`autotune resume`), never rerun from scratch.
        backoffLimit: 0,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            restartPolicy: 'Never',
            containers: [
              {
                name: 'tuner',
                image: options.image,
                command: ['autotune'],
                args: options.args ?? ['run', `/etc/autotune/${fileName}`],
                workingDir: TUNER_WORKDIR,
                ...(options.hfTokenSecret
                  ? { env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { ...options.hfTokenSecret } } }] }
                  : {}),
                volumeMounts: [
                  { name: 'study', mountPath: '/etc/autotune', readOnly: true },
                  { name: 'journal', mountPath: TUNER_WORKDIR },
                ],
              },
            ],
            volumes: [
              { name: 'study', configMap: { name } },
              { name: 'journal', persistentVolumeClaim: { claimName: options.journalClaim } },
            ],
          },
        },
      },
    },
  ];
}
