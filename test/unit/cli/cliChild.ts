/** The CLI as its own process for tests that need one (shards as separate processes, a kill). */
import { runCli } from '../../../src/cli/main';

void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
});
