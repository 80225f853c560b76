/** `groundwork serve`: the annotation editor in a browser, on 127.0.0.1 behind a random token. */
import { resolve } from 'node:path';
import { DatasetFileError } from '../../io/datasetFile';
import { RecoveryError } from '../../server/recoveryFile';
import { planRecovery } from '../../server/serveRecovery';
import { makeServeSession } from '../../server/serveSession';
import { startServe } from '../../server/serveServer';
import { numberOption, stringOption } from '../args';
import type { CliCommand } from '../command';
import { CliError, EXIT } from '../command';
import { TASK_TYPES, parseTask } from '../../core/task';

const usage = `groundwork serve <dataset.jsonl> [--port n] [--media-root dir[,dir]] [--export-drafts] [--no-models] [--device auto|cuda|cpu] [--models-dir dir] [--recover | --discard-recovery] [--user name] [--task <task>] [--quiet]

Hosts the annotation editor (the same one as in VS Code) on http://127.0.0.1 with a random
token in the URL; requests without it get 403. Edits, undo/redo and atomic saves work as in
VS Code. Media must resolve inside --media-root (default: the dataset folder's parent).
--export-drafts lets the Export button include samples that are not approved yet.
Model suggestions (S, C, model clicks) start an inference worker on first use;
--no-models never starts one.
Every change records who made it: --user, else git's user.name in the dataset's folder,
else the OS user.
--task is the task of samples whose line names none, as for export (else the answer's tag).
Unsaved edits are kept in a recovery file (GROUNDWORK_RECOVERY_DIR, else
~/.local/state/groundwork/recovery) until saved; after a crash serve refuses to start until
you choose --recover (open them) or --discard-recovery (drop them).
Stops on Ctrl+C.`;

/** `groundwork serve`. */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'open the annotation editor in a browser (127.0.0.1, token)',
  usage,
  valueOptions: ['port', 'media-root', 'device', 'models-dir', 'user', 'task'],
  booleanOptions: ['export-drafts', 'quiet', 'no-models', 'recover', 'discard-recovery'],
  async run(args, io) {
    const arg = args.positionals[0];
    if (!arg) throw new CliError(`missing dataset argument\n${usage}`);
    const datasetPath = resolve(io.cwd, arg);
    const port = numberOption(args, 'port', 0);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new CliError(`--port must be 0-65535, got ${port}`);
    const quiet = args.options.quiet === true;
    const log = (level: string, message: string): void => {
      if (!quiet || level !== 'info') io.stderr.write(`[${level}] ${message}\n`);
    };
    const mediaRoots = (stringOption(args, 'media-root') ?? '')
      .split(',')
      .filter(Boolean)
      .map((r) => resolve(io.cwd, r));
    const deviceArg = stringOption(args, 'device');
    const device: 'auto' | 'cuda' | 'cpu' | undefined =
      deviceArg === 'auto' || deviceArg === 'cuda' || deviceArg === 'cpu' ? deviceArg : undefined;
    if (deviceArg !== undefined && !device)
      throw new CliError(`--device must be auto, cuda or cpu, got ${deviceArg}`);
    const modelsDir = stringOption(args, 'models-dir');
    const user = stringOption(args, 'user');
    if (user !== undefined && user.trim() === '')
      throw new CliError(`--user needs a name\n${usage}`);
    const taskName = stringOption(args, 'task');
    const defaultTask = taskName === undefined ? undefined : parseTask(taskName);
    if (taskName !== undefined && !defaultTask)
      throw new CliError(`unknown --task "${taskName}"; one of ${TASK_TYPES.join(', ')}\n${usage}`);
    const models = {
      models: args.options['no-models'] !== true,
      ...(device ? { device } : {}),
      ...(modelsDir ? { modelsDir: resolve(io.cwd, modelsDir) } : {}),
    };
    if (args.options.recover === true && args.options['discard-recovery'] === true)
      throw new CliError(`--recover and --discard-recovery exclude each other\n${usage}`);
    const choice =
      args.options.recover === true
        ? 'recover'
        : args.options['discard-recovery'] === true
          ? 'discard'
          : undefined;
    let handle;
    try {
      const plan = await planRecovery(datasetPath, choice);
      if (plan.note) io.stderr.write(`groundwork serve: ${plan.note}\n`);
      // Temps of a recovery write cut by a crash: say they went, so nobody looks for them.
      for (const temp of plan.staleTemps ?? [])
        io.stderr.write(`groundwork serve: removed a stale recovery temp file ${temp}\n`);
      handle = await startServe({
        port,
        recovery: plan.file,
        makeSession: (toUri) =>
          makeServeSession(
            {
              datasetPath,
              mediaRoots,
              exportDrafts: args.options['export-drafts'] === true,
              ...models,
              log,
              ...(plan.recover ? { recover: plan.recover } : {}),
              ...(user ? { user } : {}),
              ...(defaultTask ? { defaultTask } : {}),
            },
            toUri,
          ),
      });
    } catch (e) {
      if (e instanceof DatasetFileError || e instanceof RecoveryError)
        throw new CliError(e.message, EXIT.error);
      throw e;
    }
    io.stdout.write(`groundwork serve: ${datasetPath}\n${handle.url}\n`);
    await new Promise<void>((done) => {
      const stop = (): void => {
        void handle.close().then(({ recoveryKept }) => {
          if (recoveryKept)
            io.stderr.write(
              'groundwork serve: unsaved edits are kept in a recovery file; start again with --recover to open them\n',
            );
          done();
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return EXIT.ok;
  },
};
