import type { CliCommand } from './command';

/** Every subcommand, in the order `groundwork --help` lists them. One line per command. */
export async function loadCommands(): Promise<readonly CliCommand[]> {
  return [
  ];
}
