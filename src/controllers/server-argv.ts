// Where the listen address and port go on an engine's command line (one rule for all controllers).
import type { LaunchSpec } from './types.js';

/** Default port an engine listens on inside a container or pod. */
export const DEFAULT_CONTAINER_PORT = 8000;

/** The engine's arguments with the host flag (when it has one) and the port flag appended. */
export function serverArgs(spec: LaunchSpec, host: string, port: number): string[] {
  const args = [...spec.args];
  if (spec.hostFlag) args.push(spec.hostFlag, host);
  args.push(spec.portFlag, String(port));
  return args;
}

/** Entrypoint and command of a container running `spec` (the entrypoint override, or `command` + args). */
export function containerCommand(
  spec: LaunchSpec,
  host = '0.0.0.0',
): { entrypoint: string[] | undefined; cmd: string[]; port: number } {
  const port = spec.containerPort ?? DEFAULT_CONTAINER_PORT;
  const args = serverArgs(spec, host, port);
  if (spec.entrypoint) return { entrypoint: spec.entrypoint, cmd: args, port };
  return { entrypoint: undefined, cmd: [spec.command, ...args], port };
}
