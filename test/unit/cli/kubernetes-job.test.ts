// `autotune kubernetes-job`: the in-cluster recipe of a study file, every object valid for Kubernetes 1.33, RBAC
// limited to what the controller calls, the study file in the ConfigMap without the kubeconfig; bad input named.

import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { kubernetesJobYaml } from '../../../src/cli/commands/kubernetes-job.js';
import { CAPACITY_RULES, CONTROLLER_RULES } from '../../../src/controllers/kubernetes/tuner-job.js';
import { InvalidOptionError } from '../../../src/errors.js';
import { OptionsError } from '../../../src/tune/options-error.js';
import { validateManifest } from '../../support/fake-k8s-validate.js';

type Obj = Record<string, unknown>;

const STUDY = `# tuned nightly
name: Qwen 72B RAG
runtime: sglang
model: Qwen/Qwen2.5-72B-Instruct
controller:
  kind: kubernetes
  namespace: llm-tuning
  kubeconfig: /home/me/.kube/config
  hfTokenSecret: { name: hf-token, key: token }
  modelCache: { claimName: hf-models }
space: { max-running-requests: [64, 128] }
`;

const objects = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS() as Obj);

describe('autotune kubernetes-job', () => {
  it('prints a claim, ServiceAccount, Role, bindings, ConfigMap and Job that Kubernetes 1.33 accepts', () => {
    const { yaml, notes } = kubernetesJobYaml(STUDY, { image: 'registry.example/autotune:0.1.0' });
    const checks = validateManifest(yaml);
    expect(checks.map((c) => `${c.kind}/${c.name}`)).toEqual([
      'PersistentVolumeClaim/qwen-72b-rag-journal',
      'ServiceAccount/qwen-72b-rag',
      'Role/qwen-72b-rag',
      'RoleBinding/qwen-72b-rag',
      'ClusterRole/llm-tuning-qwen-72b-rag-nodes',
      'ClusterRoleBinding/llm-tuning-qwen-72b-rag-nodes',
      'ConfigMap/qwen-72b-rag',
      'Job/qwen-72b-rag',
    ]);
    expect(checks.flatMap((c) => c.problems)).toEqual([]);
    const [, , role, , clusterRole, , configMap, job] = objects(yaml) as [
      Obj,
      Obj,
      Obj,
      Obj,
      Obj,
      Obj,
      Obj,
      Obj,
    ];
    expect(role['rules']).toEqual(CONTROLLER_RULES);
    expect(clusterRole['rules']).toEqual(CAPACITY_RULES);
    expect((role['metadata'] as Obj)['namespace']).toBe('llm-tuning');
    // The study as written, comments kept, without the kubeconfig of the machine it was written on.
    const file = (configMap['data'] as Obj)['study.yaml'] as string;
    expect(file).toContain('# tuned nightly');
    expect(parse(file).controller).toEqual({
      kind: 'kubernetes',
      namespace: 'llm-tuning',
      hfTokenSecret: { name: 'hf-token', key: 'token' },
      modelCache: { claimName: 'hf-models' },
    });
    expect(notes.join('\n')).toMatch(/controller\.kubeconfig left out/);
    expect(JSON.stringify(job)).toContain('"secretKeyRef":{"name":"hf-token","key":"token"}');
    expect(JSON.stringify(job)).toContain('"claimName":"qwen-72b-rag-journal"');
  });

  it('uses an existing claim and another namespace when told', () => {
    const { yaml } = kubernetesJobYaml(STUDY, {
      image: 'autotune:1',
      namespace: 'tuning',
      name: 'nightly',
      journalClaim: 'journals',
    });
    const all = objects(yaml);
    expect(all.map((o) => o['kind'])).not.toContain('PersistentVolumeClaim');
    expect(
      all.every((o) => ['tuning', undefined].includes((o['metadata'] as Obj)['namespace'] as string)),
    ).toBe(true);
    const study = parse(((all[5] as Obj)['data'] as Obj)['study.yaml'] as string);
    expect(study.controller.namespace).toBe('tuning');
    expect(validateManifest(yaml).flatMap((c) => c.problems)).toEqual([]);
  });

  it('refuses a study that does not run on Kubernetes, bad options and bad flags, naming them', () => {
    expect(() => kubernetesJobYaml('model: llama-3.1-8b\n', { image: 'a' })).toThrow(
      /controller\.kind.*"local".*'kubernetes'/,
    );
    expect(() =>
      kubernetesJobYaml('model: llama-3.1-8b\nbudget: { maxTrials: -1 }\n', { image: 'a' }),
    ).toThrow(OptionsError);
    const error = (() => {
      try {
        kubernetesJobYaml(STUDY, { image: 'a', namespace: 'Bad_NS' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(String((error as Error).message)).toMatch(/--namespace.*Bad_NS/);
    expect(() => kubernetesJobYaml(STUDY, { image: 'a', journalSize: 'lots' })).toThrow(
      /--journal-size.*lots/,
    );
  });
});
