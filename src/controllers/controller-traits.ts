// What each controller offers, as data the study asks instead of testing a controller's name.
import type { ControllerKind } from './controller-spec.js';

/** How a controller places engines, for the study to plan GPU leases, launch specs and exports. */
export interface ControllerTraits {
  /** `process`: engines run as processes of this host; `container`: in containers (image, mounts, device requests). */
  readonly target: 'process' | 'container';
  /**
   * `pool`: the study leases GPU sets from its pool of this host's GPUs and hands them to `launch()`;
   * `cluster`: the controller's scheduler places the GPUs itself from the count a launch requests.
   */
  readonly gpuPlacement: 'pool' | 'cluster';
  /** The deployable form that reproduces a trial where this controller runs it. */
  readonly export: 'argv' | 'dockerRun' | 'kubernetes';
}

/** Traits of the bundled controllers, by the `kind` of their options. */
export const CONTROLLER_TRAITS = {
  local: { target: 'process', gpuPlacement: 'pool', export: 'argv' },
  docker: { target: 'container', gpuPlacement: 'pool', export: 'dockerRun' },
  kubernetes: { target: 'container', gpuPlacement: 'cluster', export: 'kubernetes' },
} as const satisfies Record<ControllerKind, ControllerTraits>;

/** The traits of a bundled controller from its options (for plans made before any controller exists). */
export function controllerTraits(spec: { kind: ControllerKind }): ControllerTraits {
  return CONTROLLER_TRAITS[spec.kind];
}
