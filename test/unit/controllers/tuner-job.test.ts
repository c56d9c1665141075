import { describe, expect, it } from 'vitest';
import {
  CONTROLLER_RULES,
  TUNER_WORKDIR,
  tunerJobManifests,
} from '../../../src/controllers/kubernetes/tuner-job.js';
import { validateObject } from '../../support/fake-k8s-validate.js';

describe('tunerJobManifests', () => {
  const objects = tunerJobManifests({
    name: 'qwen-tuner',
    namespace: 'llm-tuning',
    image: 'registry.example.com/autotune:0.1.0',
    studyFile: 'model: Qwen/Qwen2.5-72B-Instruct\n',
    journalClaim: 'autotune-journal',
    hfTokenSecret: { name: 'hf-token', key: 'token' },
  });

  it('are objects the Kubernetes schema accepts, in the order to apply them', () => {
    expect(objects.map((o) => o.kind)).toEqual([
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'Job',
    ]);
    for (const object of objects)
      expect(
        validateObject(object.kind as string, object as unknown as Record<string, unknown>),
        object.kind,
      ).toEqual([]);
  });

  it("binds the controller's rules and read-only nodes to the tuner's ServiceAccount", () => {
    const [account, role, binding, clusterRole, clusterBinding] = objects;
    expect(role.rules).toEqual(CONTROLLER_RULES);
    expect(JSON.stringify(role.rules)).not.toMatch(/"\*"|portforward|nodes/);
    expect(clusterRole.rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }]);
    for (const b of [binding, clusterBinding])
      expect(b.subjects).toEqual([
        { kind: 'ServiceAccount', name: account.metadata?.name, namespace: 'llm-tuning' },
      ]);
    expect(clusterBinding.roleRef.name).toBe(clusterRole.metadata?.name);
  });

  it('runs the study file from its ConfigMap with the journal volume as working directory, never retried blindly', () => {
    const job = objects[6];
    const pod = job.spec?.template.spec;
    const container = pod?.containers[0];
    expect(pod?.serviceAccountName).toBe('qwen-tuner');
    expect(job.spec?.backoffLimit).toBe(0);
    expect(container?.command).toEqual(['autotune']);
    expect(container?.args).toEqual(['run', '/etc/autotune/study.yaml']);
    expect(container?.workingDir).toBe(TUNER_WORKDIR);
    expect(pod?.volumes).toContainEqual({
      name: 'journal',
      persistentVolumeClaim: { claimName: 'autotune-journal' },
    });
    expect(container?.env).toEqual([
      { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } },
    ]);
    expect(objects[5].data).toEqual({ 'study.yaml': 'model: Qwen/Qwen2.5-72B-Instruct\n' });
  });
});
