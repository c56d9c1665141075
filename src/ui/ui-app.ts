// The dashboard's routes (hono): pages, the studies as JSON, a study's trials pushed as they land (server-sent
// events), and a finished study's report. Journals are named by their path in the studies folder, nothing else.
import { stat } from 'node:fs/promises';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { AutotunerError, InvalidOptionError, JournalError } from '../errors.js';
import { chartLibrary } from '../report/chart-library.js';
import { CHART_SCRIPT } from '../report/chart-script.js';
import { renderHtmlReport } from '../report/html-report.js';
import { journalTrials } from '../tune/journal/journal-trials.js';
import type { JournalEntry } from '../tune/journal/journal-types.js';
import { readJournal } from '../tune/journal/read-journal.js';
import { OptionsError } from '../tune/options-error.js';
import { redactValue } from '../util/redact.js';
import { UI_SCRIPT } from './assets/ui-script.js';
import { UI_CSS } from './assets/ui-style.js';
import { followJournal } from './journal-follower.js';
import { listJournals, resolveJournal } from './study-folder.js';
import type { StudyRunner } from './study-runner.js';
import { studyCharts, studyData, summarizeStudy, trialView } from './study-summary.js';
import { carriesToken, isLoopback, TOKEN_COOKIE } from './ui-access.js';
import { comparePage, listPage, studyPage } from './ui-pages.js';
import { addRunRoutes } from './ui-run-routes.js';

/** What the routes need. */
export interface UiAppOptions {
  folder: string;
  token?: string | undefined;
  /** Runs submitted studies in this process. */
  runner: StudyRunner;
  /** Aborted when the server closes: ends every event stream. */
  closing: AbortSignal;
  /** How often a followed journal is looked at. @default 250 */
  pollMs?: number | undefined;
}

// The dashboard's own pages load from this origin only; a report is one self-contained document.
const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const REPORT_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'";

/** Builds the app; errors become JSON answers that name the problem, never a stack. */
export function createUiApp(options: UiAppOptions): Hono {
  const { folder, token, runner, closing, pollMs = 250 } = options;
  const app = new Hono();

  app.use('*', async (c, next) => {
    // Without a token only this machine's pages get answers: a name that resolves to 127.0.0.1 for another site
    // (DNS rebinding) arrives with that site's name as Host.
    const hostname = (c.req.header('host') ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    if (token === undefined && !isLoopback(hostname)) return c.json({ error: 'unexpected Host' }, 403);
    if (token !== undefined) {
      const query = c.req.query('token');
      const given = {
        authorization: c.req.header('authorization'),
        query,
        cookie: getCookie(c, TOKEN_COOKIE),
      };
      if (!carriesToken(token, given)) return c.json({ error: 'an access token is required' }, 401);
      if (query !== undefined)
        setCookie(c, TOKEN_COOKIE, query, { httpOnly: true, sameSite: 'Strict', path: '/' });
    }
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', PAGE_POLICY);
  });

  app.onError((error, c) => {
    if (error instanceof OptionsError) return c.json({ error: error.message, problems: error.problems }, 400);
    if (error instanceof InvalidOptionError) {
      const status = error.option === 'journal' ? 404 : error.option === 'journal state' ? 409 : 400;
      return c.json({ error: error.message }, status);
    }
    if (error instanceof JournalError) return c.json({ error: error.message }, 422);
    return c.json({ error: error instanceof AutotunerError ? error.message : 'internal error' }, 500);
  });

  app.get('/assets/ui.js', (c) =>
    c.body(UI_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/assets/ui.css', (c) => c.body(UI_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  // The charts: the same library and drawing script the report inlines.
  app.get('/assets/uplot.js', (c) =>
    c.body(chartLibrary().script, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/assets/uplot.css', (c) =>
    c.body(chartLibrary().css, 200, { 'Content-Type': 'text/css; charset=utf-8' }),
  );
  app.get('/assets/charts.js', (c) =>
    c.body(CHART_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
  );
  // Browsers ask for it on every page: an empty answer, not a 404 in their console.
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/', (c) => c.html(listPage(folder)));

  app.get('/api/studies', async (c) => {
    const summaries = [];
    for (const journal of await listJournals(folder)) {
      // A journal being created (no header yet) or not one at all is left out of the list.
      const contents = await readJournal(journal.path).catch(() => undefined);
      if (contents) {
        const summary = summarizeStudy(journal.id, contents, journal.mtimeMs);
        summaries.push({ ...summary, running: runner.isRunning(journal.id) });
      }
    }
    return c.json(summaries);
  });

  app.get('/study', async (c) => {
    const id = c.req.query('journal');
    await resolveJournal(folder, id);
    return c.html(studyPage(id as string));
  });

  app.get('/api/study', async (c) => {
    const id = c.req.query('journal') as string;
    const file = await resolveJournal(folder, id);
    const contents = await readJournal(file);
    const { mtimeMs } = await stat(file);
    return c.json({
      summary: summarizeStudy(id, contents, mtimeMs),
      trials: journalTrials(contents.entries).map(trialView),
    });
  });

  app.get('/compare', async (c) => {
    const ids = [c.req.query('a'), c.req.query('b')];
    const journals = [];
    for (const id of ids)
      journals.push({ id: id as string, ...(await readJournal(await resolveJournal(folder, id))) });
    return c.html(comparePage(journals));
  });

  addRunRoutes(app, folder, runner);

  app.get('/report', async (c) => {
    const file = await resolveJournal(folder, c.req.query('journal'));
    const html = renderHtmlReport(await readJournal(file));
    return c.html(html, 200, { 'Content-Security-Policy': REPORT_POLICY });
  });

  app.get('/api/events', async (c) => {
    const id = c.req.query('journal') as string;
    const file = await resolveJournal(folder, id);
    return streamSSE(c, async (stream) => {
      const stop = new AbortController();
      stream.onAbort(() => stop.abort());
      const signal = AbortSignal.any([stop.signal, closing]);
      const entries: JournalEntry[] = [];
      // Writes go out in order, one after the other.
      let sending = Promise.resolve();
      // The trials running now (of a study this process runs) are pushed as they change.
      let lastLive = '[]';
      const live = setInterval(() => {
        const now = JSON.stringify(redactValue(runner.liveTrials(id)));
        if (now === lastLive) return;
        lastLive = now;
        sending = sending.then(() => stream.writeSSE({ event: 'live', data: now }));
      }, pollMs);
      try {
        await followJournal(file, {
          signal,
          pollMs,
          onEntries: (batch, header) => {
            entries.push(...batch);
            const model = studyData({ header, entries });
            const summary = summarizeStudy(id, { header, entries }, Date.now(), model);
            const trials = journalTrials(batch).map(trialView);
            const data = JSON.stringify({ summary, trials, charts: studyCharts(model) });
            sending = sending.then(() => stream.writeSSE({ event: 'update', data }));
          },
        });
      } catch (error) {
        const message = error instanceof AutotunerError ? error.message : 'cannot read the journal';
        sending = sending.then(() =>
          stream.writeSSE({ event: 'problem', data: JSON.stringify({ message }) }),
        );
      }
      clearInterval(live);
      await sending.catch(() => undefined);
    });
  });

  return app;
}
