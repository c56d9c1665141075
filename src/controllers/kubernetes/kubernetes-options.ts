// Validation of the Kubernetes controller's options at construction (every problem at once).
import { z } from 'zod';
import { optionTypes, parseControllerOptions } from '../controller-options.js';
import type { KubernetesControllerOptions } from './kubernetes-controller.js';

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS-1123 label')
  .max(63);

const kubernetesOptionsSchema = z.strictObject({
  kubeConfig: optionTypes.object.optional(),
  namespace: dnsLabel.optional(),
  workload: z.enum(['pod', 'deployment']).optional(),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  tolerations: z.array(optionTypes.object).optional(),
  hfTokenSecret: z.strictObject({ name: optionTypes.text, key: optionTypes.text }).optional(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  endpointMode: z.enum(['pod-ip', 'service', 'port-forward']).optional(),
  bindAddress: optionTypes.text.optional(),
  gpuResource: z
    .string()
    .regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9._-]+$/, 'an extended resource name')
    .optional(),
  stopGraceSeconds: z.number().int().min(0).optional(),
  statusIntervalMs: optionTypes.positiveMs.optional(),
  serviceAccountName: optionTypes.text.optional(),
  readinessInitialIntervalMs: optionTypes.positiveMs.optional(),
  readinessMaxIntervalMs: optionTypes.positiveMs.optional(),
  logger: optionTypes.object.optional(),
  clock: optionTypes.clock.optional(),
});

/** Throws an `InvalidOptionsError` naming every bad option and its value; returns the options unchanged. */
export function validateKubernetesOptions(options: KubernetesControllerOptions): KubernetesControllerOptions {
  parseControllerOptions('Kubernetes controller', kubernetesOptionsSchema, options);
  return options;
}
