import { describe, expect, it } from 'vitest';
import { DockerController } from '../../../src/controllers/docker/docker-controller.js';
import { KubernetesController } from '../../../src/controllers/kubernetes/kubernetes-controller.js';
import { LocalController } from '../../../src/controllers/local/local-controller.js';
import { resolveLocalOptions } from '../../../src/controllers/local/local-options.js';
import { InvalidOptionError, InvalidOptionsError } from '../../../src/errors.js';
import { ManualClock } from '../../../src/util/clock.js';

function problemsOf(build: () => unknown): InvalidOptionsError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionsError).code).toBe('ERR_INVALID_OPTIONS');
    return error as InvalidOptionsError;
  }
  throw new Error('expected the constructor to refuse the options');
}

describe('controller options are validated at construction, every problem at once', () => {
  it.each([
    [
      'local',
      () =>
        new LocalController({
          stopGraceMs: -5,
          portAttempts: 0,
          host: '',
          logCapacityLines: 2.5,
          readinessInitialIntervalMs: 0,
          wakeOnLogLine: 'yes',
          clock: { now: 1 },
          pickPort: 4000,
          verbose: true,
        } as never),
      [
        'stopGraceMs',
        'portAttempts',
        'host',
        'logCapacityLines',
        'readinessInitialIntervalMs',
        'wakeOnLogLine',
        'clock',
        'pickPort',
        'verbose',
      ],
    ],
    [
      'kubernetes',
      () =>
        new KubernetesController({
          namespace: 'Team_A',
          workload: 'job',
          imagePullPolicy: 'always',
          endpointMode: 'ingress',
          stopGraceSeconds: -1,
          statusIntervalMs: 0,
          hfTokenSecret: { name: 'hf' },
          nodeSelector: { gpu: 1 },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', efect: 'NoSchedule' }],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpresions: [] }],
              },
            },
          },
          gpuProduct: [],
          modelCache: { claimName: 'models', hostPath: '/mnt/models' },
          shmSizeMiB: 0.5,
        } as never),
      [
        'namespace',
        'workload',
        'imagePullPolicy',
        'endpointMode',
        'stopGraceSeconds',
        'statusIntervalMs',
        'hfTokenSecret.key',
        'nodeSelector.gpu',
        'tolerations[0].efect',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpresions',
        'gpuProduct',
        'modelCache',
        'shmSizeMiB',
      ],
    ],
    [
      'docker',
      () =>
        new DockerController({
          network: 'overlay',
          pullPolicy: 'sometimes',
          stopGraceMs: Number.NaN,
          hfCache: { hostPath: 'relative/cache' },
        } as never),
      ['network', 'pullPolicy', 'stopGraceMs', 'hfCache.hostPath'],
    ],
  ])('%s', (_kind, build, options) => {
    const error = problemsOf(build);
    expect(error.problems.map((p) => p.option).sort()).toEqual([...options].sort());
    expect(error.option).toBe(error.problems[0]?.option);
    for (const option of options) expect(error.message).toContain(`${option}: got `);
  });

  it('names the bad value and what is accepted', () => {
    const error = problemsOf(() => new LocalController({ stopGraceMs: -5 }));
    expect(error.problems).toEqual([{ option: 'stopGraceMs', value: -5, expected: 'a number >= 0' }]);
    expect(error.message).toContain('stopGraceMs: got -5, expected a number >= 0');
    const k8s = problemsOf(() => new KubernetesController({ workload: 'job' as never }));
    expect(k8s.problems[0]).toMatchObject({ option: 'workload', value: 'job' });
    expect(k8s.problems[0]?.expected).toContain('"deployment"');
  });

  it('never shows a secret in a problem', () => {
    const error = problemsOf(
      () => new LocalController({ hostEnv: { HF_TOKEN: 'hf_abcdefghijklmnop', BAD: 3 } as never }),
    );
    expect(error.problems.map((p) => p.option)).toEqual(['hostEnv.BAD']);
    expect(JSON.stringify(error.problems)).not.toContain('hf_abcdefghijklmnop');
  });

  it('fills in the local defaults and keeps what it was given', () => {
    const clock = new ManualClock();
    const resolved = resolveLocalOptions({ stateDir: '/tmp/x', clock, readinessMaxIntervalMs: 10 });
    expect(resolved).toMatchObject({
      stateDir: '/tmp/x',
      host: '127.0.0.1',
      stopGraceMs: 10_000,
      portAttempts: 4,
      logCapacityLines: 1_000,
      readinessInitialIntervalMs: 50,
      // A cap below the first interval is raised to it.
      readinessMaxIntervalMs: 50,
      wakeOnLogLine: true,
    });
    expect(resolved.clock).toBe(clock);
  });
});
