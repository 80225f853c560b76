import type { ParsedArgs } from './command';

/** Splits argv into positionals and options; `--a=b`, `--a b`, boolean flags, `--` ends options. */
export function parseArgs(
  argv: readonly string[],
  booleanOptions: readonly string[] = [],
): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        options[a.slice(2, eq)] = a.slice(eq + 1);
        continue;
      }
      const name = a.slice(2);
      const next = argv[i + 1];
      if (booleanOptions.includes(name) || next === undefined || next.startsWith('--'))
        options[name] = true;
      else {
        options[name] = next;
        i++;
      }
    } else if (a === '-o') {
      const next = argv[i + 1];
      if (next !== undefined) {
        options.out = next;
        i++;
      }
    } else positionals.push(a);
  }
  return { positionals, options };
}

/** A string option, or undefined; `--flag` with no value counts as absent. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === 'string' ? v : undefined;
}

/** A numeric option with a default; throws a readable message for a bad number. */
export function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.options[name];
  if (v === undefined || v === true) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} expects a number, got "${String(v)}"`);
  return n;
}
