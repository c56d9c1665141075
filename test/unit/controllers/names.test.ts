import { describe, expect, it } from 'vitest';
import { cleanupSelector, serverLabels, toLabelSelector } from '../../../src/controllers/labels.js';
import { sanitizeLabelValue, sanitizeName } from '../../../src/controllers/names.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

describe('sanitizeName', () => {
  it.each([
    ['autotune-study-1', 'k8s', 'autotune-study-1'],
    ['autotune_study.1', 'docker', 'autotune_study.1'],
  ] as const)('keeps a valid name %s (%s)', (input, target, expected) => {
    expect(sanitizeName(input, target)).toBe(expected);
  });

  it.each([
    ['My_Study/Trial 7', 'k8s'],
    ['--weird--', 'k8s'],
    ['x'.repeat(200), 'k8s'],
    ['x'.repeat(200), 'docker'],
    ['/leading/slash', 'docker'],
    ['', 'k8s'],
    ['***', 'docker'],
    [`${'a'.repeat(62)}-b`, 'k8s'],
  ] as const)('makes %s valid for %s, with a stable hash suffix', (input, target) => {
    const out = sanitizeName(input, target);
    expect(out).toMatch(target === 'k8s' ? DNS_LABEL : DOCKER_NAME);
    expect(out.length).toBeLessThanOrEqual(target === 'k8s' ? 63 : 128);
    expect(sanitizeName(input, target)).toBe(out);
  });

  it('keeps two long names that differ only at the end apart', () => {
    const a = sanitizeName(`${'s'.repeat(80)}-a`, 'k8s');
    const b = sanitizeName(`${'s'.repeat(80)}-b`, 'k8s');
    expect(a).not.toBe(b);
  });
});

describe('labels', () => {
  it.each(['study 1', 'x'.repeat(100), '_a_', 'ok-value'])('sanitises label value %s', (value) => {
    const out = sanitizeLabelValue(value);
    expect(out).toMatch(LABEL_VALUE);
    expect(out.length).toBeLessThanOrEqual(63);
  });

  it('puts managed-by, study, trial, run and runtime on every server and selects them for cleanup', () => {
    const labels = serverLabels({
      studyId: 'my study',
      trialId: 't1',
      runtime: 'sim',
      runId: 'r1',
      extra: { 'app.kubernetes.io/managed-by': 'someone-else', team: 'x' },
    });
    expect(labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'inference-autotuner',
      'inference-autotuner.io/trial': 't1',
      'inference-autotuner.io/run': 'r1',
      'inference-autotuner.io/runtime': 'sim',
      team: 'x',
    });
    const selector = cleanupSelector('my study');
    for (const [key, value] of Object.entries(selector)) expect(labels[key]).toBe(value);
    expect(toLabelSelector(cleanupSelector())).toBe('app.kubernetes.io/managed-by=inference-autotuner');
  });
});
