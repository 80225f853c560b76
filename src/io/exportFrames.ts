/**
 * The frame lists of an export run, with each image of a frame-list sample resolved once per
 * run. Resolving an image (its path kept inside the media roots through realpath, a stat and
 * its header) was 70% of a CLI export's time when samples share images, as datasets with
 * several questions per clip do; a run now pays it once per distinct image. A run's view of
 * an image is taken the first time it is met (a batch export does not watch its inputs).
 * Video samples and malformed frame lists go to the provider as they are.
 */
import type { FrameInfo, FrameProvider, SampleFields } from '../core/model';

/** What the cache needs of a provider: the frame list of a sample, with sizes. */
export interface FrameListSource {
  frameList(sample: SampleFields, datasetDir: string): Promise<readonly FrameInfo[]>;
}

// Bounded: a dataset whose images never repeat must not fill memory with their facts.
const MAX_IMAGES = 1 << 16;

/**
 * A FrameProvider that resolves each image (folder, path) once per run, in memory bounded by
 * MAX_IMAGES; everything else is `provider.frames`.
 */
export function cachedImageFrames(provider: FrameProvider & FrameListSource): FrameProvider {
  // By folder, then by path as the line writes it: one short lookup per image.
  const folders = new Map<string, Map<string, Promise<FrameInfo>>>();
  // The facts of images already resolved, so a sample of known images needs no promise each.
  const known = new Map<string, Map<string, FrameInfo>>();
  let count = 0;
  const image = (
    sample: SampleFields,
    datasetDir: string,
    cache: Map<string, Promise<FrameInfo>>,
    rel: string,
    done: Map<string, FrameInfo>,
  ): Promise<FrameInfo> => {
    let hit = cache.get(rel);
    if (hit === undefined) {
      if (count >= MAX_IMAGES) {
        for (const f of folders.values()) f.clear();
        for (const f of known.values()) f.clear();
        count = 0;
      }
      // A one-image list gives the same facts and the same messages (they name the path only).
      hit = provider
        .frameList({ id: sample.id, reasoning: '', frames: [rel] }, datasetDir)
        .then((list) => {
          const info = list[0] as FrameInfo;
          // Unless the caches were cleared meanwhile (then this promise is no longer theirs).
          if (cache.get(rel) === hit) done.set(rel, info);
          return info;
        });
      // The rejection is handled by whoever awaits it; this only keeps it from being unhandled.
      hit.catch(() => undefined);
      cache.set(rel, hit);
      count++;
    }
    return hit;
  };
  return {
    async frames(sample, datasetDir, signal): Promise<readonly FrameInfo[]> {
      const list = sample.frames;
      if (sample.video !== undefined || !Array.isArray(list) || list.length === 0)
        return provider.frames(sample, datasetDir, signal);
      let cache = folders.get(datasetDir);
      if (!cache) folders.set(datasetDir, (cache = new Map()));
      let done = known.get(datasetDir);
      if (!done) known.set(datasetDir, (done = new Map()));
      // Every image known: the same list, built without a promise per image.
      const infos: FrameInfo[] = [];
      for (const rel of list) {
        const info = done.get(rel);
        if (info === undefined) break;
        infos.push({ ...info, index: infos.length });
      }
      if (infos.length === list.length) return infos;
      const pending = list.map((rel) => image(sample, datasetDir, cache, rel, done));
      const settled = await Promise.allSettled(pending);
      // The first failing image by position, whatever order the file system answered in.
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      return settled.map((r, index) => ({
        ...(r as PromiseFulfilledResult<FrameInfo>).value,
        index,
      }));
    },
  };
}
