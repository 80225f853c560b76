/**
 * Child of bench/streaming.bench.ts: the export run of `groundwork export` (runExport, the
 * same streaming code) with frame paths taken as they are, so the row measures the data
 * path and not image-header I/O, as bench/dataset.bench.ts does.
 */
import type { FrameInfo, FrameProvider } from '../src/core/model';
import { runExport } from '../src/io/exportRunner';

const [dataset, output] = process.argv.slice(2) as [string, string];
const frames: FrameProvider = {
  async frames(sample, datasetDir): Promise<FrameInfo[]> {
    return (sample.frames ?? []).map((p, index) => ({
      index,
      path: `${datasetDir}/${p}`,
      width: 640,
      height: 480,
    }));
  },
};

void runExport({ dataset, output, format: 'rynnbrain-raw', frames }).then((r) => {
  process.stdout.write(`${r.written} records, ${r.skipped.length} skipped\n`);
  process.exitCode = r.refused ? 1 : 0;
});
