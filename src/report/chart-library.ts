// The chart library (uPlot) the report inlines and the dashboard serves: its minified script and style sheet, read
// from the installed package, with the package's licence notice in front of the script.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The library's browser files. */
export interface ChartLibrary {
  /** Version of the package, as installed. */
  version: string;
  /** The minified IIFE (defines the global `uPlot`), after a comment carrying the package's licence. */
  script: string;
  css: string;
}

let cached: ChartLibrary | undefined;

/** Reads uPlot's browser build once per process (resolved from this module, as an installed package would). */
export function chartLibrary(): ChartLibrary {
  if (cached) return cached;
  // The package's main file sits in its dist folder, beside the browser build.
  const dist = dirname(createRequire(import.meta.url).resolve('uplot'));
  const read = (file: string) => readFileSync(join(dist, file), 'utf8');
  const { version } = JSON.parse(read('../package.json')) as { version: string };
  const licence = read('../LICENSE').replaceAll('*/', '* /').trim();
  // The build opens with a banner naming its web address; the notice below says the same without a URL (a
  // self-contained page carries none).
  const body = read('uPlot.iife.min.js').replace(/^\/\*![^\n]*\*\/\n/, '');
  cached = {
    version,
    script: `/*! uPlot ${version} (npm package uplot)\n${licence}\n*/\n${body}`,
    css: read('uPlot.min.css'),
  };
  return cached;
}
