import type { CliCommand } from './command';

/** Every subcommand, in the order `groundwork --help` lists them. One line per command. */
export async function loadCommands(): Promise<readonly CliCommand[]> {
  return [
    (await import('./commands/validate')).validateCommand,
    (await import('./commands/stats')).statsCommand,
    (await import('./commands/export')).exportCommand,
    (await import('./commands/import')).importCommand,
    (await import('./commands/split')).splitCommand,
    (await import('./commands/merge')).mergeCommand,
    (await import('./commands/cop')).copCommand,
    (await import('./commands/doctor')).doctorCommand,
    (await import('./commands/models')).modelsCommand,
    (await import('./commands/serve')).serveCommand,
    (await import('./commands/frames')).framesCommand,
    (await import('./commands/prelabel')).prelabelCommand,
  ];
}
