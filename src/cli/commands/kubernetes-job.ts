// `autotune kubernetes-job`: what it takes to run a study inside the cluster, next to the servers it measures, as
// YAML to `kubectl apply -f -`: the tuner's ServiceAccount with a Role limited to what the Kubernetes controller
// calls (and a ClusterRole to read nodes), the study file in a ConfigMap, the journal's PersistentVolumeClaim and
// the Job. Inside the cluster the tuner measures the Services directly: no port-forward in its numbers.
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { Document, parseDocument } from 'yaml';
import { tunerJobManifests } from '../../controllers/kubernetes/tuner-job.js';
import { InvalidOptionError } from '../../errors.js';
import { parseOptionsSchema } from '../../tune/parse-options.js';
import { EXIT } from '../exit-codes.js';

/** Flags of `autotune kubernetes-job`. */
export interface KubernetesJobFlags {
  /** Image with this package installed (`autotune` on PATH). */
  image: string;
  /** @default the study's `controller.namespace`, else 'default' */
  namespace?: string | undefined;
  /** Name of the Job and of its ServiceAccount, Role, bindings and ConfigMap. @default from the study's name */
  name?: string | undefined;
  /** Existing claim for the journal; unset, a claim `<name>-journal` of `journalSize` is part of the output. */
  journalClaim?: string | undefined;
  /** @default '1Gi' */
  journalSize?: string | undefined;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// A DNS-1123 label from a study name: lower case, other characters as '-', at most 52 characters (the ClusterRole
// adds the namespace and `-nodes`).
function labelFrom(name: string): string {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 52)
    .replace(/-+$/, '');
  return label === '' ? 'autotune' : label;
}

/**
 * The in-cluster recipe of a study file as multi-document YAML. The study file goes into the ConfigMap as written,
 * less `controller.kubeconfig` and `controller.context` (inside the cluster the tuner uses its ServiceAccount).
 * Throws OptionsError for invalid study options and InvalidOptionError for a study that does not run on
 * Kubernetes or a bad flag.
 */
export function kubernetesJobYaml(
  studyText: string,
  flags: KubernetesJobFlags,
): { yaml: string; notes: string[] } {
  const doc = parseDocument(studyText, { prettyErrors: true });
  const [syntax] = doc.errors;
  if (syntax) throw new InvalidOptionError('study file', syntax.message.split('\n')[0], 'valid YAML or JSON');
  const options = parseOptionsSchema(doc.toJS());
  if (options.controller.kind !== 'kubernetes')
    throw new InvalidOptionError(
      'controller.kind',
      options.controller.kind,
      "'kubernetes': the in-cluster recipe runs a study whose servers are Kubernetes pods",
    );
  const notes: string[] = [];
  for (const key of ['kubeconfig', 'context'] as const) {
    if (options.controller[key] === undefined) continue;
    doc.deleteIn(['controller', key]);
    notes.push(
      `controller.${key} left out of the ConfigMap: inside the cluster the tuner uses its ServiceAccount`,
    );
  }
  const namespace = flags.namespace ?? options.controller.namespace ?? 'default';
  if (!DNS_LABEL.test(namespace)) throw new InvalidOptionError('--namespace', namespace, 'a DNS-1123 label');
  if (options.controller.namespace !== undefined && options.controller.namespace !== namespace) {
    doc.setIn(['controller', 'namespace'], namespace);
    notes.push(`controller.namespace set to ${namespace} in the ConfigMap, as --namespace says`);
  }
  const name = flags.name ?? labelFrom(options.name ?? 'autotune');
  if (!DNS_LABEL.test(name) || name.length > 52)
    throw new InvalidOptionError('--name', name, 'a DNS-1123 label of at most 52 characters');
  if (flags.image.trim() === '') throw new InvalidOptionError('--image', flags.image, 'an image reference');
  const size = flags.journalSize ?? '1Gi';
  if (!/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/.test(size))
    throw new InvalidOptionError('--journal-size', size, 'a Kubernetes quantity, e.g. 1Gi');
  const journalClaim = flags.journalClaim ?? `${name}-journal`;
  const claim: V1PersistentVolumeClaim[] = flags.journalClaim
    ? []
    : [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {
            name: journalClaim,
            namespace,
            labels: { 'app.kubernetes.io/name': 'inference-autotuner', 'app.kubernetes.io/instance': name },
          },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
        },
      ];
  const objects = [
    ...claim,
    ...tunerJobManifests({
      name,
      namespace,
      image: flags.image,
      studyFile: doc.toString(),
      journalClaim,
      ...(options.controller.hfTokenSecret ? { hfTokenSecret: options.controller.hfTokenSecret } : {}),
    }),
  ];
  const yaml = objects.map((object) => new Document(object).toString()).join('---\n');
  return {
    yaml: `# autotune kubernetes-job: kubectl apply -f - ; logs: kubectl logs -n ${namespace} job/${name}\n${yaml}`,
    notes,
  };
}

/** Prints the recipe of `file` on stdout (notes on stderr); returns the exit code. */
export async function kubernetesJobCommand(file: string, flags: KubernetesJobFlags): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidOptionError('study file', file, 'a readable YAML or JSON file', { cause: error });
  }
  const { yaml, notes } = kubernetesJobYaml(text, flags);
  for (const note of notes) process.stderr.write(`autotune: ${note}\n`);
  process.stdout.write(yaml);
  return EXIT.ok;
}
