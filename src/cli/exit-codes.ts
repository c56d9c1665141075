// Exit codes of the autotune command (documented in README.md).

/** Exit codes: stable, so scripts can branch on them. */
export const EXIT = {
  /** The command did what was asked (a study found a feasible configuration). */
  ok: 0,
  /** A runtime error (engine, controller, journal, I/O). */
  error: 1,
  /**
   * Bad command line, invalid study options, a journal that is missing, exists already (run without --resume or
   * --force), was written by other options or is unreadable (truncated, garbled, foreign), or a missing secret.
   */
  usage: 2,
  /** The study finished but no configuration met the SLO. */
  noFeasible: 3,
  /** Interrupted by SIGINT/SIGTERM; the journal can be resumed. */
  interrupted: 130,
} as const;
