// An engine's version as the running server reports it, and how it compares with a flag registry's version.
import { getJson } from '../benchmark/server-json.js';
import type { EngineVersionProbe } from './runtime-adapter.js';

/** The release number (`0.22.0`, `0.11.1rc2` -> `0.11.1`) in a version text, if it has one. */
export function releaseVersion(text: string | undefined): string | undefined {
  return text === undefined ? undefined : /\d+\.\d+(?:\.\d+)?/.exec(text)?.[0];
}

/**
 * True when both texts name a release and the releases differ (`0.22.0` vs `vLLM 0.22.0` agree; a build number
 * such as llama.cpp's `b11669-Debian` names no release and never differs).
 */
export function versionsDiffer(detected: string | undefined, registry: string | undefined): boolean {
  const a = releaseVersion(detected);
  const b = releaseVersion(registry);
  return a !== undefined && b !== undefined && a !== b;
}

/** Asks a running server its version through each of the probe's paths in turn; undefined when none says. */
export async function detectEngineVersion(
  endpoint: string,
  probe: EngineVersionProbe,
  { signal, timeoutMs = 5_000 }: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<string | undefined> {
  for (const path of probe.paths) {
    const body = await getJson(new URL(path, `${endpoint.replace(/\/+$/, '')}/`), {
      timeoutMs,
      ...(signal ? { signal } : {}),
    });
    const version = body === undefined ? undefined : probe.read(body);
    if (version !== undefined) return version;
  }
  return undefined;
}
