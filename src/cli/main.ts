import { parseArgs } from './args';
import { CliError, EXIT } from './command';
import type { CliIo } from './command';
import { loadCommands } from './registry';

/** Runs `groundwork <command> ...` and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const commands = await loadCommands();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(
      `groundwork: Chain-of-Point datasets\n\nUsage: groundwork <command> [options]\n\n`,
    );
    for (const c of commands) io.stdout.write(`  ${c.name.padEnd(10)} ${c.summary}\n`);
    io.stdout.write(`\nRun "groundwork <command> --help" for a command's options.\n`);
    return name ? EXIT.ok : EXIT.error;
  }
  if (name === '--version') {
    io.stdout.write('groundwork 0.1.0\n');
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(
      `groundwork: unknown command "${name}". Commands: ${commands.map((c) => c.name).join(', ')}\n`,
    );
    return EXIT.error;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage.trimEnd() + '\n');
    return EXIT.ok;
  }
  try {
    return await command.run(parseArgs(rest, command), io);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr.write(`groundwork ${name}: ${msg}\n`);
    return e instanceof CliError ? e.exitCode : EXIT.error;
  }
}

// Entry point when bundled as dist/cli.js; tests import runCli instead.
if (require.main === module) {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
  };
  runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
