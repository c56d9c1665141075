// The manifest's engine version: what the running server says, else the image's version label; one warning per
// study and version when its release is not the flag registry's.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedOptions } from '../../../src/tune/resolve-options.js';
import { recordEngineVersion } from '../../../src/tune/trial-insight.js';
import type { TrialManifest } from '../../../src/tune/trial-record.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function server(answer: { status: number; body: string }): Promise<string> {
  const s = createServer((_req, res) => void res.writeHead(answer.status).end(answer.body));
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => s.close(() => resolve())));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const resolved = {
  runtime: {
    versionProbe: { paths: ['/version'], read: (b: unknown) => (b as { version?: string }).version },
    registry: { engineVersion: 'vLLM 0.22.0' },
  },
} as unknown as ResolvedOptions;

function context() {
  const warnings: string[] = [];
  return {
    warnings,
    ctx: {
      signal: new AbortController().signal,
      logger: {
        debug: () => {},
        info: () => {},
        warn: (_o: unknown, m: string) => warnings.push(m),
      } as never,
      warned: new Set<string>(),
    },
  };
}

describe('recordEngineVersion', () => {
  it("takes the server's answer and warns once per version whose release differs", async () => {
    const endpoint = await server({ status: 200, body: '{"version":"0.11.1"}' });
    const { warnings, ctx } = context();
    for (let i = 0; i < 3; i++) {
      const manifest = {} as TrialManifest;
      await recordEngineVersion(resolved, manifest, { endpoint, imageVersion: '9.9.9' }, ctx);
      expect(manifest.engineVersion).toBe('0.11.1');
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('reports version 0.11.1 but its parameters were validated against');
  });

  it("falls back to the image's version label when the server does not say", async () => {
    const endpoint = await server({ status: 404, body: 'no' });
    const { warnings, ctx } = context();
    const manifest = {} as TrialManifest;
    await recordEngineVersion(resolved, manifest, { endpoint, imageVersion: 'v0.22.0' }, ctx);
    expect(manifest.engineVersion).toBe('v0.22.0');
    expect(warnings).toEqual([]);
    const none = {} as TrialManifest;
    await recordEngineVersion(resolved, none, { endpoint }, ctx);
    expect(none.engineVersion).toBeUndefined();
  });
});
