// The dashboard's routes that start and stop work: submit a study file, stop and resume a study, its run state.
// They change things, so they answer only requests a page of this dashboard sends (a custom header no other site's
// page may set without the server's consent, which it never gives).
import type { Hono } from 'hono';
import { InvalidOptionError } from '../errors.js';
import { resolveJournal } from './study-folder.js';
import type { StudyRunner } from './study-runner.js';

/** Header every state-changing request must carry (`1`). */
export const UI_REQUEST_HEADER = 'x-autotune-ui';

/** Adds the run routes to the app. */
export function addRunRoutes(app: Hono, folder: string, runner: StudyRunner): void {
  app.use('/api/run/*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.header(UI_REQUEST_HEADER) !== '1') {
      return c.json({ error: `a request from the dashboard (header ${UI_REQUEST_HEADER}: 1)` }, 403);
    }
    await next();
  });

  app.post('/api/run/submit', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { file?: unknown } | undefined;
    const id = await runner.submit(body?.file);
    return c.json({ id }, 201);
  });

  app.post('/api/run/stop', async (c) => {
    const id = c.req.query('journal') as string;
    await resolveJournal(folder, id);
    if (!runner.stop(id))
      throw new InvalidOptionError('journal state', id, 'a study running in this dashboard');
    return c.json({ id, stopping: true }, 202);
  });

  app.post('/api/run/resume', async (c) => {
    const id = c.req.query('journal') as string;
    await runner.resume(id, await resolveJournal(folder, id));
    return c.json({ id, running: true }, 202);
  });

  app.get('/api/run/state', async (c) => {
    const id = c.req.query('journal') as string;
    await resolveJournal(folder, id);
    return c.json({ id, running: runner.isRunning(id), ending: runner.ending(id) });
  });
}
