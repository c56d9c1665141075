// Scrapes a Prometheus endpoint at a low rate while a benchmark's measured phase runs, with its own timeout.
import { Agent, get } from 'node:http';
import { Agent as HttpsAgent, get as httpsGet } from 'node:https';
import { errorMessage, InvalidOptionError } from '../errors.js';
import { type Clock, sleepOn, systemClock } from '../util/clock.js';
import { parsePrometheusSamples } from './prometheus-text.js';
import type { SeriesSample } from './series-summary.js';
import type { TelemetryProbe } from './telemetry-probe.js';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Options of a metrics scraper. */
export interface MetricsScraperOptions {
  /** Full URL of the page, e.g. `http://127.0.0.1:8000/metrics`. */
  url: string;
  /** Time between the end of one scrape and the start of the next. @default 1_000 */
  intervalMs?: number;
  /** A scrape that has not answered by then is abandoned and counts as failed. @default 2_000 */
  timeoutMs?: number;
  /** @default systemClock */
  clock?: Clock;
}

/** Samples of a Prometheus endpoint over one measured phase, and what went wrong. */
export class MetricsScraper implements TelemetryProbe {
  readonly samples: SeriesSample[] = [];
  attempts = 0;
  failures = 0;
  /** Why the first failed scrape failed. */
  firstFailure: string | undefined;
  readonly #url: URL;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #agent: Agent;
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  #lastOk = false;

  constructor(options: MetricsScraperOptions) {
    const { intervalMs = 1_000, timeoutMs = 2_000 } = options;
    if (!Number.isFinite(intervalMs) || intervalMs <= 0)
      throw new InvalidOptionError('intervalMs', intervalMs, 'a positive number of ms');
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new InvalidOptionError('timeoutMs', timeoutMs, 'a positive number of ms');
    let url: URL;
    try {
      url = new URL(options.url);
    } catch (cause) {
      throw new InvalidOptionError('url', options.url, 'an http(s) URL', { cause });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new InvalidOptionError('url', options.url, 'an http(s) URL');
    this.#url = url;
    this.#intervalMs = intervalMs;
    this.#timeoutMs = timeoutMs;
    this.#clock = options.clock ?? systemClock;
    // One socket, kept between scrapes: the engine sees one extra connection, not one per sample.
    const agentOptions = { keepAlive: true, maxSockets: 1 };
    this.#agent = url.protocol === 'https:' ? new HttpsAgent(agentOptions) : new Agent(agentOptions);
  }

  /** Takes a first reading now, then one every `intervalMs`. */
  start(): void {
    if (this.#loop) return;
    this.#loop = this.#run();
  }

  /** Ends the loop, takes a closing reading (when the last one worked) and releases the socket. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    if (this.#loop && this.#lastOk) await this.#scrape(undefined);
    this.#agent.destroy();
  }

  /** One line on what failed, or undefined when every scrape worked. */
  problem(): string | undefined {
    if (this.failures === 0) return undefined;
    return `${this.failures} of ${this.attempts} scrapes of ${this.#url.href} failed (first: ${this.firstFailure})`;
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      await this.#scrape(signal);
      try {
        await sleepOn(this.#clock, this.#intervalMs, signal);
      } catch {
        return;
      }
    }
  }

  async #scrape(stopSignal: AbortSignal | undefined): Promise<void> {
    this.attempts++;
    const tMs = this.#clock.now();
    const outcome = await this.#fetch(stopSignal);
    let reason = 'reason' in outcome ? outcome.reason : undefined;
    if (stopSignal?.aborted && reason !== undefined) {
      // The loop's own end cut this scrape short: the engine's failure only when it never answered at all.
      if (this.samples.length > 0 || this.failures > 0) {
        this.attempts--;
        return;
      }
      reason = `no answer in the ${Math.round(this.#clock.now() - tMs)} ms before the run ended`;
    }
    if ('text' in outcome) {
      try {
        const values = parsePrometheusSamples(outcome.text);
        if (values.size > 0) {
          this.samples.push({ tMs, values });
          this.#lastOk = true;
          return;
        }
        reason = 'the answer holds no Prometheus samples';
      } catch (error) {
        reason = `the answer is not Prometheus text: ${errorMessage(error)}`;
      }
    }
    this.#lastOk = false;
    this.failures++;
    this.firstFailure ??= reason;
  }

  #fetch(stopSignal: AbortSignal | undefined): Promise<{ text: string } | { reason: string }> {
    return new Promise((resolve) => {
      const request = (this.#url.protocol === 'https:' ? httpsGet : get)(this.#url, {
        agent: this.#agent,
        headers: { accept: 'text/plain' },
      });
      let settled = false;
      const finish = (outcome: { text: string } | { reason: string }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stopSignal?.removeEventListener('abort', onStop);
        resolve(outcome);
      };
      const fail = (reason: string): void => {
        finish({ reason });
        request.destroy();
      };
      const timer = setTimeout(() => fail(`no answer within ${this.#timeoutMs} ms`), this.#timeoutMs);
      const onStop = (): void => fail('stopped');
      stopSignal?.addEventListener('abort', onStop, { once: true });
      request.on('error', (error) => fail(errorMessage(error)));
      request.on('response', (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return finish({ reason: `HTTP ${response.statusCode}` });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) fail(`answer larger than ${MAX_BODY_BYTES} bytes`);
          else chunks.push(chunk);
        });
        response.on('end', () => finish({ text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => fail(errorMessage(error)));
      });
    });
  }
}
