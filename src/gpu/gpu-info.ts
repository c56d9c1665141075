// The one GPU description used everywhere: probes produce it, selection, pools and controllers consume it.

/** A process holding memory on a GPU. */
export interface GpuProcess {
  pid: number;
  name: string;
  usedMemoryMiB: number;
}

/** One GPU as seen by a probe or declared in a static inventory. */
export interface GpuInfo {
  /** Index as the driver numbers it (what CUDA_VISIBLE_DEVICES and Docker device ids use). */
  index: number;
  /** Stable identifier (e.g. `GPU-5a7c...`, or `MIG-...` for a MIG instance). */
  uuid: string;
  /** Product name, e.g. `NVIDIA H100 80GB HBM3`. */
  name: string;
  memoryTotalMiB: number;
  memoryUsedMiB: number;
  memoryFreeMiB: number;
  /** GPU compute utilisation in percent, when the probe reports it. */
  utilizationPct: number | undefined;
  /** Processes using the GPU (empty when none or unknown). */
  processes: GpuProcess[];
  /** Host the GPU lives on; undefined for the local machine. */
  host?: string;
  /** Driver version, when known (for reproducibility manifests). */
  driverVersion?: string;
  /** PCI bus id, when known. */
  pciBusId?: string;
  /** MIG instance of a parent GPU, when this entry is one. */
  mig?: {
    parentUuid: string;
    profile?: string;
    /** MIG device index within the parent GPU, as nvidia-smi lists it. */
    deviceIndex?: number;
    gpuInstanceId?: number;
    computeInstanceId?: number;
  };
  /**
   * True when this is a whole GPU in MIG mode: CUDA cannot use it as one device, only its MIG
   * instances. Selection skips such GPUs unless told otherwise.
   */
  migEnabled?: boolean;
}
