/** Child of the crash test: saves two versions in turn, forever, until it is killed with -9. */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../../src/io/atomicWriter';

async function main(): Promise<void> {
  const [target, first, second] = process.argv.slice(2) as [string, string, string];
  const versions = [readFileSync(first, 'utf8'), readFileSync(second, 'utf8')];
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) await writeFileAtomic(target, versions[i % 2] as string);
}

void main();
