import { formatCop, parseCop } from '../../core/chainOfPoint';
import type { CopGrounding } from '../../core/chainOfPoint';
import { extractEntities } from '../../core/entities';
import { GROUNDING_TAGS } from '../../core/model';
import { decodeUtf8Text } from '../../io/inputFile';
import type { CliCommand, CliIo } from '../command';
import { CliError, EXIT } from '../command';

const usage = `groundwork cop parse    CoP text on stdin -> JSON groundings, entities, errors (offsets)
groundwork cop format   JSON on stdin (a grounding or a list) -> canonical CoP text, one per line`;

// Model outputs are kilobytes; a bound keeps `cop parse < /dev/zero` from eating memory.
const MAX_STDIN = 64 << 20;

async function readStdin(io: CliIo): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    // Refuse binary at the first chunk that shows it, not after reading an endless stream.
    const nul = buf.indexOf(0);
    if (nul >= 0)
      throw new CliError(
        `stdin: looks binary (a NUL byte at offset ${size + nul}); CoP text is UTF-8. Nothing was changed.`,
      );
    size += buf.length;
    if (size > MAX_STDIN)
      throw new CliError(`stdin: more than ${MAX_STDIN >> 20} MB; CoP text is expected`);
    parts.push(buf);
  }
  try {
    return decodeUtf8Text(Buffer.concat(parts), 'stdin', 'CoP text is UTF-8');
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e), EXIT.error);
  }
}

function asGrounding(v: unknown, i: number): CopGrounding {
  const g = v as CopGrounding;
  if (
    !g ||
    typeof g !== 'object' ||
    !GROUNDING_TAGS.includes(g.tag) ||
    !Number.isInteger(g.frame) ||
    !Array.isArray(g.points)
  ) {
    throw new CliError(
      `item ${i}: expected {"tag": one of ${GROUNDING_TAGS.join('|')}, "frame": n, "points": [[x, y], ...]}`,
      EXIT.invalid,
    );
  }
  return g;
}

/** `groundwork cop parse|format`: the grammar for people who script around model outputs. */
export const copCommand: CliCommand = {
  name: 'cop',
  summary: 'parse or format CoP grounding text (stdin to stdout)',
  usage,
  valueOptions: [],
  async run(args, io) {
    const verb = args.positionals[0];
    const input = await readStdin(io);
    if (verb === 'parse') {
      const r = parseCop(input);
      const ent = extractEntities(input);
      io.stdout.write(
        JSON.stringify(
          {
            groundings: r.groundings,
            entities: ent.entities.map((e) => ({
              text: e.text,
              start: e.start,
              end: e.end,
              proposal: e.proposal ? formatCop(e.proposal) : null,
            })),
            errors: ent.issues,
          },
          null,
          2,
        ) + '\n',
      );
      return r.errors.length ? EXIT.invalid : EXIT.ok;
    }
    if (verb === 'format') {
      let v: unknown;
      try {
        v = JSON.parse(input);
      } catch (e) {
        throw new CliError(
          `stdin is not JSON: ${e instanceof Error ? e.message : String(e)}`,
          EXIT.invalid,
        );
      }
      const list = Array.isArray(v) ? v : ((v as { groundings?: unknown[] }).groundings ?? [v]);
      for (const [i, g] of list.entries()) io.stdout.write(formatCop(asGrounding(g, i)) + '\n');
      return EXIT.ok;
    }
    throw new CliError(usage);
  },
};
