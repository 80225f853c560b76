/**
 * What the .vsix ships, read from `vsce ls` of the staging copy that scripts/package.mjs
 * packs: the bundles, manifest, README, LICENSE and icon; only the bundle's runtime externals
 * in node_modules, with one platform's onnxruntime binaries; no sources, no tests.
 * Building the zip itself is left to the e2e suite, which installs it into code-server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '..', '..', '..');

/** The parts of scripts/package.mjs this test uses. */
interface PackageScript {
  TARGETS: string[];
  hostTarget(): string;
  shippedDependencies(root?: string): string[];
  dependencyClosure(target: string, root?: string): Map<string, { version: string }>;
  packageVsix(o: {
    target?: string;
    build?: boolean;
    stageOnly?: boolean;
    fetchMissing?: boolean;
    log?: (m: string) => void;
  }): { target: string; stage: string; vsix?: string };
  vsceLs(stage: string): string[];
}

const load = async (): Promise<PackageScript> =>
  (await import(pathToFileURL(join(ROOT, 'scripts', 'package.mjs')).href)) as PackageScript;
const quiet = (): void => {};
const ortBinaries = (files: string[]): string[] =>
  files.filter((f) => /^node_modules\/onnxruntime-node\/bin\//.test(f));

test("vsce ls of this machine's package: bundles, manifest, README, LICENSE, icon; no sources, tests or foreign binaries", async () => {
  const pkg = await load();
  const target = pkg.hostTarget();
  const [os, cpu] = target.split('-') as [string, string];
  // Builds dist/ (esbuild --production) the way `npm run package` does.
  const { stage } = pkg.packageVsix({ target, stageOnly: true, log: quiet });
  const files = pkg.vsceLs(stage);
  for (const need of [
    'package.json',
    'README.md',
    'LICENSE',
    'media/icon.png',
    'dist/extension.js',
    'dist/webview.js',
  ]) {
    assert.ok(
      files.includes(need),
      `${need} ships (vsce ls: ${files.filter((f) => !f.startsWith('node_modules/')).join(', ')})`,
    );
  }
  const manifest = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')) as {
    icon?: string;
    repository?: unknown;
    main?: string;
    scripts?: unknown;
    devDependencies?: unknown;
  };
  assert.equal(manifest.icon, 'media/icon.png');
  assert.ok(manifest.repository, 'vsce wants a repository');
  assert.ok(files.includes(manifest.main!.replace(/^\.\//, '')), 'main ships');
  assert.equal(
    manifest.scripts,
    undefined,
    'no scripts (no vscode:prepublish in the staging copy)',
  );
  assert.equal(manifest.devDependencies, undefined);

  for (const f of files) {
    assert.ok(
      !/^(src|test|webview|bench|scripts|\.cache|\.tools)\//.test(f),
      `no project sources or tests: ${f}`,
    );
    assert.ok(!/(^|\/)tests?\//.test(f), `nothing from a test folder: ${f}`);
    assert.ok(
      !f.endsWith('.map') && !/(?<!\.d)\.ts$/.test(f),
      `no source maps or TypeScript: ${f}`,
    );
  }
  const ort = ortBinaries(files);
  assert.ok(
    ort.some((f) => f.endsWith(`${os}/${cpu}/onnxruntime_binding.node`)),
    `the ${target} onnxruntime binding ships`,
  );
  assert.deepEqual(
    ort.filter((f) => !f.includes(`/${os}/${cpu}/`)),
    [],
    "no other platform's onnxruntime binaries",
  );
  const closure = [...pkg.dependencyClosure(target).keys()];
  for (const tool of ['ffmpeg', 'ffprobe']) {
    const dir = `node_modules/@${tool}-installer/${target}`;
    if (!closure.includes(dir)) continue; // no such binary package for this platform
    assert.ok(
      files.some((f) => f.startsWith(`${dir}/${tool}`)),
      `the ${target} ${tool} ships`,
    );
    assert.ok(
      !files.some(
        (f) =>
          f.startsWith(`node_modules/@${tool}-installer/`) &&
          !f.startsWith(`node_modules/@${tool}-installer/${tool}/`) &&
          !f.startsWith(`${dir}/`),
      ),
      `no other platform's ${tool}`,
    );
  }

  // Only the bundle's externals (and what they need) ship; bundled packages stay in dist/.
  const topLevel = new Set(
    files
      .filter((f) => f.startsWith('node_modules/'))
      .map((f) =>
        f
          .split('/')
          .slice(1, f.split('/')[1]!.startsWith('@') ? 3 : 2)
          .join('/'),
      ),
  );
  for (const bundled of [
    'konva',
    'zod',
    '@vscode-elements/elements',
    'typescript',
    'esbuild',
    'playwright-core',
  ]) {
    assert.ok(!topLevel.has(bundled), `${bundled} is bundled or a dev tool, so it does not ship`);
  }
  for (const external of pkg.shippedDependencies())
    assert.ok(topLevel.has(external), `${external} ships`);
  // onnxruntime-node's install-only packages stay out, so vsce does not ask for a bundle.
  for (const installOnly of ['adm-zip', 'global-agent', 'semver'])
    assert.ok(!topLevel.has(installOnly), `${installOnly} (install script only) does not ship`);
  const js = files.filter((f) => f.endsWith('.js')).length;
  assert.ok(js <= 100, `${js} JavaScript files: vsce warns above 100`);
});

test('the runtime dependencies are exactly the esbuild externals that package.json depends on', async () => {
  const pkg = await load();
  assert.deepEqual(
    pkg.shippedDependencies().sort(),
    [
      '@ffmpeg-installer/ffmpeg',
      '@ffprobe-installer/ffprobe',
      'fluent-ffmpeg',
      'onnxruntime-node',
      'ws',
    ].sort(),
  );
});

test('each target takes its own platform packages from the lock file', async () => {
  const pkg = await load();
  const mac = [...pkg.dependencyClosure('darwin-arm64').keys()];
  assert.ok(mac.includes('node_modules/@ffmpeg-installer/darwin-arm64'));
  assert.ok(mac.includes('node_modules/@ffprobe-installer/darwin-arm64'));
  assert.ok(!mac.some((p) => /installer\/(linux|win32)-/.test(p)), mac.join(', '));
  const win = [...pkg.dependencyClosure('win32-x64').keys()];
  assert.ok(win.includes('node_modules/@ffmpeg-installer/win32-x64'));
  assert.ok(!win.some((p) => /installer\/(linux|darwin)-/.test(p)), win.join(', '));
  assert.throws(
    () => pkg.packageVsix({ target: 'darwin-x64', build: false, stageOnly: true, log: quiet }),
    /unsupported target darwin-x64/,
  );
});

test('a win32-x64 staging copy holds only win32/x64 onnxruntime binaries and no Linux ffmpeg', async () => {
  const pkg = await load();
  // No registry fetch here: the win32 ffmpeg packages are simply left out of this copy.
  const { stage } = pkg.packageVsix({
    target: 'win32-x64',
    build: false,
    stageOnly: true,
    fetchMissing: false,
    log: quiet,
  });
  const files = pkg.vsceLs(stage);
  const ort = ortBinaries(files);
  assert.ok(ort.some((f) => f.endsWith('win32/x64/onnxruntime_binding.node')));
  assert.deepEqual(
    ort.filter((f) => !f.includes('/win32/x64/')),
    [],
  );
  assert.ok(
    !files.some((f) => /installer\/linux-/.test(f)),
    'no Linux ffmpeg/ffprobe in a Windows package',
  );
});
