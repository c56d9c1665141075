// Scrapes a Prometheus endpoint at a low rate while a benchmark's measured phase runs, with its own timeout; can
// read one more gauge from a JSON page in the same loop (llama-server's KV usage from `/slots`).
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { errorMessage, InvalidOptionError } from '../errors.js';
import { type Clock, sleepOn, systemClock } from '../util/clock.js';
import { httpGetText, type TextOutcome } from './http-get-text.js';
import { parsePrometheusSamples } from './prometheus-text.js';
import type { SeriesSample } from './series-summary.js';
import type { TelemetryProbe } from './telemetry-probe.js';

// Answers that say the page is not served at all: asking again in a second will not change them.
const ABSENT_STATUSES = new Set([404, 405, 410, 501]);

/** A gauge read from a JSON page right after each Prometheus scrape, kept in the same sample. */
export interface JsonGaugeSource {
  /** Full URL of the page, on the same server as the Prometheus page. */
  url: string;
  /** Name the value is kept under in each sample. */
  name: string;
  /** The gauge from the page's JSON, or undefined when the page does not hold it. */
  read(body: unknown): number | undefined;
  /** Not asked once a Prometheus scrape holds this sample: the engine exports the gauge itself. */
  unlessOnPage?: string;
}

/** Options of a metrics scraper. */
export interface MetricsScraperOptions {
  /** Full URL of the page, e.g. `http://127.0.0.1:8000/metrics`. */
  url: string;
  /** Time between the end of one scrape and the start of the next. @default 1_000 */
  intervalMs?: number;
  /** A scrape that has not answered by then is abandoned and counts as failed. @default 2_000 */
  timeoutMs?: number;
  /** A gauge to read from a JSON page in the same loop, at the same rate. @default none */
  jsonGauge?: JsonGaugeSource;
  /** @default systemClock */
  clock?: Clock;
}

/** How often one page was asked and what went wrong first. */
class PageTally {
  attempts = 0;
  failures = 0;
  firstFailure: string | undefined;
  fail(reason: string): void {
    this.failures++;
    this.firstFailure ??= reason;
  }
}

function parseUrl(raw: string, option: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new InvalidOptionError(option, raw, 'an http(s) URL', { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidOptionError(option, raw, 'an http(s) URL');
  return url;
}

/** Samples of a Prometheus endpoint over one measured phase, and what went wrong. */
export class MetricsScraper implements TelemetryProbe {
  readonly samples: SeriesSample[] = [];
  readonly #page = new PageTally();
  readonly #json = new PageTally();
  readonly #url: URL;
  readonly #jsonUrl: URL | undefined;
  readonly #jsonGauge: JsonGaugeSource | undefined;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #agent: Agent | HttpsAgent;
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  #lastOk = false;
  #jsonOff = false;
  #jsonValues = 0;

  constructor(options: MetricsScraperOptions) {
    const { intervalMs = 1_000, timeoutMs = 2_000 } = options;
    if (!Number.isFinite(intervalMs) || intervalMs <= 0)
      throw new InvalidOptionError('intervalMs', intervalMs, 'a positive number of ms');
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new InvalidOptionError('timeoutMs', timeoutMs, 'a positive number of ms');
    this.#url = parseUrl(options.url, 'url');
    if (options.jsonGauge) {
      this.#jsonUrl = parseUrl(options.jsonGauge.url, 'jsonGauge.url');
      if (this.#jsonUrl.origin !== this.#url.origin)
        throw new InvalidOptionError('jsonGauge.url', options.jsonGauge.url, `a page of ${this.#url.origin}`);
      this.#jsonGauge = options.jsonGauge;
    }
    this.#intervalMs = intervalMs;
    this.#timeoutMs = timeoutMs;
    this.#clock = options.clock ?? systemClock;
    // One socket, kept between scrapes: the engine sees one extra connection, not one per sample.
    const agentOptions = { keepAlive: true, maxSockets: 1 };
    this.#agent = this.#url.protocol === 'https:' ? new HttpsAgent(agentOptions) : new Agent(agentOptions);
  }

  /** Scrapes of the Prometheus page. */
  get attempts(): number {
    return this.#page.attempts;
  }

  /** Failed scrapes of the Prometheus page. */
  get failures(): number {
    return this.#page.failures;
  }

  /** Why the first failed scrape failed. */
  get firstFailure(): string | undefined {
    return this.#page.firstFailure;
  }

  /** Whether the JSON gauge was read at least once. */
  get jsonGaugeRead(): boolean {
    return this.#jsonValues > 0;
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

  /** One line on what failed with the Prometheus page, or undefined when every scrape worked. */
  problem(): string | undefined {
    const t = this.#page;
    if (t.failures === 0) return undefined;
    return `${t.failures} of ${t.attempts} scrapes of ${this.#url.href} failed (first: ${t.firstFailure})`;
  }

  /** One line on what failed with the JSON page, or undefined when every read worked (or none was needed). */
  jsonProblem(): string | undefined {
    const t = this.#json;
    if (t.failures === 0) return undefined;
    return `${t.failures} of ${t.attempts} reads of ${this.#jsonUrl?.href} failed (first: ${t.firstFailure})`;
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
    const tMs = this.#clock.now();
    const page = await this.#scrapePage(stopSignal, tMs);
    const values = page === 'cut' ? new Map<string, number>() : page;
    const json = this.#jsonGauge && !this.#jsonOff ? await this.#readJson(stopSignal, tMs) : undefined;
    if (json !== undefined && this.#jsonGauge) values.set(this.#jsonGauge.name, json);
    if (values.size > 0) this.samples.push({ tMs, values });
    // A scrape the loop's end cut short leaves the closing reading to stop().
    if (page !== 'cut' || values.size > 0) this.#lastOk = values.size > 0;
  }

  /** Whether a failure is only the loop's own end cutting a request short (then it is not the engine's). */
  #cutByStop(tally: PageTally, answered: boolean, stopSignal: AbortSignal | undefined): boolean {
    if (!stopSignal?.aborted) return false;
    if (answered || tally.failures > 0) {
      tally.attempts--;
      return true;
    }
    return false;
  }

  async #scrapePage(stopSignal: AbortSignal | undefined, tMs: number): Promise<Map<string, number> | 'cut'> {
    this.#page.attempts++;
    const outcome = await this.#get(this.#url, 'text/plain', stopSignal);
    let reason = 'reason' in outcome ? outcome.reason : undefined;
    if (reason !== undefined && stopSignal?.aborted) {
      if (this.#cutByStop(this.#page, this.samples.length > 0, stopSignal)) return 'cut';
      reason = `no answer in the ${Math.round(this.#clock.now() - tMs)} ms before the run ended`;
    }
    if ('text' in outcome) {
      try {
        const values = parsePrometheusSamples(outcome.text);
        if (values.size > 0) {
          const skipWhen = this.#jsonGauge?.unlessOnPage;
          if (skipWhen !== undefined && values.has(skipWhen)) this.#jsonOff = true;
          return values;
        }
        reason = 'the answer holds no Prometheus samples';
      } catch (error) {
        reason = `the answer is not Prometheus text: ${errorMessage(error)}`;
      }
    }
    this.#page.fail(reason ?? 'no answer');
    return new Map();
  }

  async #readJson(stopSignal: AbortSignal | undefined, tMs: number): Promise<number | undefined> {
    const gauge = this.#jsonGauge as JsonGaugeSource;
    this.#json.attempts++;
    const outcome = await this.#get(this.#jsonUrl as URL, 'application/json', stopSignal);
    if ('reason' in outcome) {
      if (stopSignal?.aborted) {
        if (this.#cutByStop(this.#json, this.#jsonValues > 0, stopSignal)) return undefined;
        this.#json.fail(`no answer in the ${Math.round(this.#clock.now() - tMs)} ms before the run ended`);
        return undefined;
      }
      // A page the server does not serve (llama-server started with --no-slots answers 501) is not asked again.
      if (outcome.status !== undefined && ABSENT_STATUSES.has(outcome.status)) this.#jsonOff = true;
      this.#json.fail(outcome.reason);
      return undefined;
    }
    let value: number | undefined;
    try {
      value = gauge.read(JSON.parse(outcome.text));
    } catch (error) {
      this.#json.fail(`the answer is not JSON: ${errorMessage(error)}`);
      return undefined;
    }
    if (value === undefined || !Number.isFinite(value)) {
      this.#json.fail(`the answer holds no ${gauge.name}`);
      return undefined;
    }
    this.#jsonValues++;
    return value;
  }

  #get(url: URL, accept: string, stopSignal: AbortSignal | undefined): Promise<TextOutcome> {
    return httpGetText(url, {
      agent: this.#agent,
      accept,
      timeoutMs: this.#timeoutMs,
      ...(stopSignal ? { stopSignal } : {}),
    });
  }
}
