// The one controller factory: studies and `autotune cleanup` build their controllers here.
import { KubeConfig, type V1Affinity, type V1Toleration } from '@kubernetes/client-node';
import Docker from 'dockerode';
import type { ControllerContext, ControllerSpec } from './controller-spec.js';
import { DockerController } from './docker/docker-controller.js';
import { KubernetesController } from './kubernetes/kubernetes-controller.js';
import { LocalController } from './local/local-controller.js';
import type { Controller } from './types.js';

/** Builds the local, Docker or Kubernetes controller a spec describes (options validated by the controller). */
export function createController(spec: ControllerSpec, context: ControllerContext = {}): Controller {
  const shared = {
    ...(context.logger ? { logger: context.logger } : {}),
    ...(context.clock ? { clock: context.clock } : {}),
  };
  switch (spec.kind) {
    case 'local':
      return new LocalController({ ...shared, ...(spec.stateDir ? { stateDir: spec.stateDir } : {}) });
    case 'docker':
      return new DockerController({
        ...shared,
        ...(spec.socketPath ? { docker: new Docker({ socketPath: spec.socketPath }) } : {}),
        ...(spec.network ? { network: spec.network } : {}),
        ...(spec.pull ? { pullPolicy: spec.pull === 'missing' ? 'if-missing' : spec.pull } : {}),
        ...(spec.hfCacheDir ? { hfCache: { hostPath: spec.hfCacheDir } } : {}),
      });
    case 'kubernetes':
      return new KubernetesController({
        ...shared,
        ...(spec.kubeconfig || spec.context
          ? { kubeConfig: kubeConfigOf(spec.kubeconfig, spec.context) }
          : {}),
        ...(spec.namespace ? { namespace: spec.namespace } : {}),
        ...(spec.workload ? { workload: spec.workload } : {}),
        ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
        ...(spec.tolerations ? { tolerations: spec.tolerations as V1Toleration[] } : {}),
        ...(spec.hfTokenSecret ? { hfTokenSecret: spec.hfTokenSecret } : {}),
        ...(spec.affinity ? { affinity: spec.affinity as V1Affinity } : {}),
        ...(spec.gpuResource ? { gpuResource: spec.gpuResource } : {}),
        ...(spec.gpuProduct ? { gpuProduct: spec.gpuProduct } : {}),
        ...(spec.modelCache ? { modelCache: spec.modelCache } : {}),
        ...(spec.shmSizeMiB ? { shmSizeMiB: spec.shmSizeMiB } : {}),
        ...(spec.endpointMode ? { endpointMode: spec.endpointMode } : {}),
        ...(spec.serviceAccountName ? { serviceAccountName: spec.serviceAccountName } : {}),
        ...(spec.imagePullPolicy ? { imagePullPolicy: spec.imagePullPolicy } : {}),
      });
  }
}

// A kubeconfig from a file and/or a named context (the default loader reads KUBECONFIG or ~/.kube/config).
function kubeConfigOf(path: string | undefined, context: string | undefined): KubeConfig {
  const config = new KubeConfig();
  if (path) config.loadFromFile(path);
  else config.loadFromDefault();
  if (context) config.setCurrentContext(context);
  return config;
}
