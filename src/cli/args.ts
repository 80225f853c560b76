import { parseArgs as nodeParseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { ParsedArgs } from './command';
import { CliError, EXIT } from './command';

/** What a command accepts: its flags, its options with values, how many positionals. */
export interface ArgSpec {
  readonly usage: string;
  readonly booleanOptions?: readonly string[];
  /** Options that take a value; `out` is also spelled `-o`. */
  readonly valueOptions?: readonly string[];
  /** Most positional arguments the command takes (default 1). */
  readonly maxPositionals?: number;
}

/** The usage line(s) of a command: its usage text up to the first blank line. */
export function usageLine(usage: string): string {
  return `usage: ${usage.split(/\n\s*\n/)[0]?.trim() ?? usage}`;
}

// Node's messages explain `--` at length; the first sentence is what a user needs here.
function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const quoted = /'([^']+)'/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return `unknown option ${quoted}`;
  return (err.message.split(/\.\s/)[0] ?? err.message).replace(/\.$/, '');
}

/**
 * Strict parsing (Node's util.parseArgs): an unknown option, a missing value, a value given
 * to a flag or an extra positional is a usage error (exit 2) showing the usage line, so a
 * typo can never swallow the next argument (`--frobnicate -o b` once rewrote the input).
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const name of spec.booleanOptions ?? []) options[name] = { type: 'boolean' };
  for (const name of spec.valueOptions ?? [])
    options[name] = name === 'out' ? { type: 'string', short: 'o' } : { type: 'string' };
  let parsed;
  try {
    parsed = nodeParseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new CliError(`${reason(e)}\n${usageLine(spec.usage)}`, EXIT.error);
  }
  const max = spec.maxPositionals ?? 1;
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals.slice(max).map((p) => `"${p}"`);
    throw new CliError(
      `unexpected argument${extra.length > 1 ? 's' : ''} ${extra.join(' ')} (takes at most ${max})\n${usageLine(spec.usage)}`,
      EXIT.error,
    );
  }
  const values: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(parsed.values))
    if (typeof v === 'string' || typeof v === 'boolean') values[k] = v;
  return { positionals: parsed.positionals, options: values };
}

/** A string option, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === 'string' ? v : undefined;
}

/** A numeric option with a default; throws a readable message for a bad number. */
export function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.options[name];
  if (v === undefined || v === true) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || String(v).trim() === '')
    throw new CliError(`--${name} expects a number, got "${String(v)}"`, EXIT.error);
  return n;
}
