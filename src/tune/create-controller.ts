// The controller of a study from its options.
import { KubeConfig } from '@kubernetes/client-node';
import { DockerController } from '../controllers/docker/docker-controller.js';
import { KubernetesController } from '../controllers/kubernetes/kubernetes-controller.js';
import { LocalController } from '../controllers/local/local-controller.js';
import type { Controller } from '../controllers/types.js';
import type { ParsedTuneOptions } from './options-schema.js';

/** Builds the local, Docker or Kubernetes controller the options ask for. */
export function createController(spec: ParsedTuneOptions['controller']): Controller {
  switch (spec.kind) {
    case 'local':
      return new LocalController(spec.stateDir ? { stateDir: spec.stateDir } : {});
    case 'docker':
      return new DockerController({
        network: spec.network,
        pullPolicy: spec.pull === 'missing' ? 'if-missing' : spec.pull,
        ...(spec.hfCacheDir ? { hfCache: { hostPath: spec.hfCacheDir } } : {}),
      });
    case 'kubernetes':
      return new KubernetesController({
        ...(spec.kubeconfig || spec.context
          ? { kubeConfig: kubeConfigOf(spec.kubeconfig, spec.context) }
          : {}),
        namespace: spec.namespace,
        workload: spec.workload,
        ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
        ...(spec.tolerations ? { tolerations: spec.tolerations as never } : {}),
        ...(spec.hfTokenSecret ? { hfTokenSecret: spec.hfTokenSecret } : {}),
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
