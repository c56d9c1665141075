// parseNvidiaSmiXml: `nvidia-smi -q -x` text to GpuInfo entries, through the patched xml2js.

import { createRequire } from 'node:module';
import { InternalError, InvalidOptionError } from '../errors.js';
import type { GpuInfo } from './gpu-info.js';
import { gpusFromNvidiaSmiLog, type NvidiaSmiXmlOptions } from './nvidia-smi-log.js';
import { XML2JS_OPTIONS } from './xml-tree.js';

type ParseString = (
  xml: string,
  options: typeof XML2JS_OPTIONS,
  callback: (error: Error | null, result: unknown) => void,
) => void;

let parseString: ParseString | undefined;

// Loaded on first use, so importing the library does not pay for the XML parser.
function xml2jsParseString(): ParseString {
  parseString ??= (createRequire(import.meta.url)('xml2js') as { parseString: ParseString }).parseString;
  return parseString;
}

/** Parses XML into the xml2js tree shape node-nvidia-smi produces. */
export function parseXmlTree(xml: string): unknown {
  let outcome: { error: Error | null; tree: unknown } | undefined;
  // With its default `async: false`, xml2js calls back before parseString returns.
  xml2jsParseString()(xml, XML2JS_OPTIONS, (error, tree) => {
    outcome = { error, tree };
  });
  if (outcome === undefined) throw new InternalError('xml2js did not call back synchronously');
  if (outcome.error !== null) {
    const detail = outcome.error.message.split('\n')[0];
    throw new InvalidOptionError('xml', xml, `well-formed XML from nvidia-smi -q -x (${detail})`, {
      cause: outcome.error,
    });
  }
  return outcome.tree;
}

/**
 * Parses the output of `nvidia-smi -q -x` into one GpuInfo per GPU (per MIG instance for GPUs in
 * MIG mode, unless `expandMig` is false). Memory figures are MiB, as nvidia-smi prints them.
 * Throws InvalidOptionError naming the element when the XML lacks a field every GPU must have.
 */
export function parseNvidiaSmiXml(xml: string, options: NvidiaSmiXmlOptions = {}): GpuInfo[] {
  if (typeof xml !== 'string') throw new InvalidOptionError('xml', xml, 'a string');
  return gpusFromNvidiaSmiLog(parseXmlTree(xml), options);
}
