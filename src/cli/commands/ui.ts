// `autotune ui [folder]`: the dashboard over a folder of studies, until Ctrl-C.
import { startUi } from '../../ui/ui-server.js';
import { EXIT } from '../exit-codes.js';
import { interruptSignal } from '../signals.js';

/** Flags of `autotune ui`. */
export interface UiFlags {
  host: string;
  port: number;
  /** From --token, else $AUTOTUNE_UI_TOKEN (kept out of the process list). */
  token: string | undefined;
}

/** Serves the dashboard and prints its address; returns the exit code once interrupted. */
export async function uiCommand(folder: string, flags: UiFlags): Promise<number> {
  const token = flags.token ?? (process.env['AUTOTUNE_UI_TOKEN'] || undefined);
  const interrupt = interruptSignal(() => undefined);
  try {
    const server = await startUi({ folder, host: flags.host, port: flags.port, token });
    process.stdout.write(
      `dashboard of ${folder} at ${server.url}${token ? ' (pass ?token=... once)' : ''}\n`,
    );
    await new Promise<void>((resolve) =>
      interrupt.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    await server.close();
    return EXIT.ok;
  } finally {
    interrupt.dispose();
  }
}
