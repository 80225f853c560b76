// The User settings `npm start` gives its code-server (and the e2e test of the demo reads the
// same ones, so it tests what people get): the real YOLOX-nano beside the project, so the
// demo's suggestions run offline. `groundwork.models.dir` has `window` scope: code-server,
// like any remote window, ignores `machine`-scoped settings written in User settings.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The folder of the shared models beside a checkout. */
export function sharedModelsDir(root = repoRoot) {
  return join(root, '..', 'shared', 'models');
}

/**
 * Settings for the demo's code-server: the shared models folder when it holds YOLOX-nano,
 * else none (the models then say which file is missing and where they looked).
 * @param {string} [root] the checkout
 * @returns {Record<string, unknown>}
 */
export function demoSettings(root = repoRoot) {
  const models = sharedModelsDir(root);
  return existsSync(join(models, 'yolox_nano_416.onnx')) ? { 'groundwork.models.dir': models } : {};
}
