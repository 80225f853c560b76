// Builds a platform-specific .vsix: `npm run package [-- --target darwin-arm64] [--out file]`.
//
// The extension is bundled by esbuild, so only the bundle's externals that are runtime
// dependencies ship in node_modules (onnxruntime-node, fluent-ffmpeg, the ffmpeg/ffprobe
// installers, ws), each with its dependency closure from package-lock.json, and only the
// target platform's native binaries. vsce packs a staging copy (.cache/package/<target>/) that
// holds exactly that: the real node_modules is never pruned, so tests and other targets keep
// working. Files are hard-linked into the staging copy where the file system allows.
//
// Flags: --target <vsce target> (default: this machine's), --out <file.vsix>,
//        --no-build (use dist/ as it is), --stage-only (stop before vsce; print the folder).
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Targets onnxruntime-node ships binaries for (bin/napi-v6/OS/ARCH), as vsce names them. */
export const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];

/** Top-level files and folders that ship, besides node_modules (missing ones are skipped). */
const SHIPPED = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  '.vscodeignore',
  'dist',
  'media',
  'models',
];

/** This machine's target name. */
export function hostTarget() {
  return `${process.platform}-${process.arch}`;
}

/** The runtime dependencies that esbuild leaves external (esbuild.mjs `nodeExternal`) and so must ship. */
export function shippedDependencies(root = repoRoot) {
  const src = readFileSync(join(root, 'esbuild.mjs'), 'utf8');
  const match = /const nodeExternal\s*=\s*\[([^\]]*)\]/.exec(src);
  if (!match)
    throw new Error(
      'esbuild.mjs: cannot find `const nodeExternal = [...]`; scripts/package.mjs reads the externals from it',
    );
  const externals = [...(match[1] ?? '').matchAll(/'([^']+)'|"([^"]+)"/g)].flatMap((quoted) => {
    const name = quoted[1] ?? quoted[2];
    return name ? [name] : [];
  });
  const deps = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies ?? {};
  return externals.filter((name) => name in deps);
}

/** Whether a lockfile entry's os/cpu/libc fields admit the target (glibc for Linux targets). */
function admits(entry, target) {
  const [os, cpu] = target.split('-');
  const ok = (list, value) =>
    !list ||
    (list.some((x) => !x.startsWith('!')) ? list.includes(value) : !list.includes(`!${value}`));
  return ok(entry.os, os) && ok(entry.cpu, cpu) && !(entry.libc && !entry.libc.includes('glibc'));
}

/**
 * The lockfile paths (node_modules/...) to ship for `target`: the closure of the shipped
 * dependencies, resolving each name the way Node does (nearest node_modules upwards) and
 * keeping optional dependencies only where their os/cpu fields admit the target.
 */
export function dependencyClosure(target, root = repoRoot) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const packages = lock.packages ?? {};
  const resolveFrom = (from, name) => {
    for (let base = from; ; base = base.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (!base) return undefined;
    }
  };
  const out = new Map();
  const visit = (path, optional) => {
    const entry = packages[path];
    if (out.has(path)) return;
    if (!admits(entry, target)) {
      if (optional) return;
      throw new Error(`${path} does not support ${target} (os ${entry.os}, cpu ${entry.cpu})`);
    }
    out.set(path, entry);
    for (const [deps, opt] of [
      [entry.dependencies, false],
      [entry.optionalDependencies, true],
    ]) {
      for (const name of Object.keys(deps ?? {})) {
        const dep = resolveFrom(path, name);
        if (dep) visit(dep, opt);
        else if (!opt)
          throw new Error(
            `package-lock.json: ${path} needs ${name}, which the lock file does not hold`,
          );
      }
    }
  };
  for (const name of shippedDependencies(root)) {
    const path = `node_modules/${name}`;
    if (!packages[path]) throw new Error(`package-lock.json has no ${path}; run npm install`);
    visit(path, false);
  }
  return out;
}

/**
 * Hard-links (or copies) a tree; `skip(relPath)` leaves out files and folders.
 * @param {string} src
 * @param {string} dest
 * @param {(rel: string) => boolean} [skip]
 * @param {string} [rel]
 */
function mirror(src, dest, skip = () => false, rel = '') {
  const st = statSync(src);
  if (st.isDirectory()) {
    mkdirSync(dest, { recursive: true });
    for (const name of readdirSync(src)) {
      const childRel = rel ? `${rel}/${name}` : name;
      if (!skip(childRel)) mirror(join(src, name), join(dest, name), skip, childRel);
    }
  } else {
    try {
      linkSync(src, dest);
    } catch {
      copyFileSync(src, dest);
    }
  }
}

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (result.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${result.stdout ?? ''}${result.stderr ?? ''}`,
    );
  return result.stdout;
}

/** A package that the host's node_modules lacks (another platform's binaries): fetched with `npm pack`. */
function fetchPackage(name, version, dest, cacheDir) {
  mkdirSync(cacheDir, { recursive: true });
  const tgz = join(cacheDir, `${name.replace('/', '-').replace('@', '')}-${version}.tgz`);
  if (!existsSync(tgz)) {
    const packed = run(
      'npm',
      ['pack', `${name}@${version}`, '--pack-destination', cacheDir, '--json'],
      { shell: process.platform === 'win32' },
    );
    const file = JSON.parse(packed)[0]?.filename;
    if (!file) throw new Error(`npm pack ${name}@${version} named no file`);
    const got = join(cacheDir, file.replace(/^@/, '').replace('/', '-'));
    if (got !== tgz) copyFileSync(got, tgz);
  }
  mkdirSync(dest, { recursive: true });
  run('tar', ['-xzf', tgz, '-C', dest, '--strip-components=1']);
}

/**
 * Stages the extension for `target` and (unless stageOnly) packs it with vsce.
 * Returns { target, stage, vsix }.
 * @param {{ target?: string, out?: string, build?: boolean, stageOnly?: boolean,
 *   fetchMissing?: boolean, log?: (m: string) => void, root?: string }} [options]
 */
export function packageVsix({
  target = hostTarget(),
  out,
  build = true,
  stageOnly = false,
  fetchMissing = true,
  log = (m) => console.error(`[package] ${m}`),
  root = repoRoot,
} = {}) {
  if (!TARGETS.includes(target)) {
    throw new Error(
      `unsupported target ${target}: onnxruntime-node ships native binaries for ${TARGETS.join(', ')} only`,
    );
  }
  const [os, cpu] = target.split('-');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (build) {
    log('building dist/ (esbuild --production)');
    run(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
  }
  for (const need of ['dist/extension.js', 'dist/webview.js', 'README.md', 'LICENSE']) {
    if (!existsSync(join(root, need))) throw new Error(`${need} is missing; the .vsix needs it`);
  }

  const stage = join(root, '.cache', 'package', target);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const name of SHIPPED) {
    if (name === 'package.json' || !existsSync(join(root, name))) continue;
    mirror(join(root, name), join(stage, name), (r) => r.endsWith('.map'));
  }
  // The staged manifest names only what ships: vsce lists dependencies with `npm ls
  // --production`, and the bundled ones (konva, zod, ...) are inside dist/ already.
  const shipped = shippedDependencies(root);
  const { scripts: _scripts, devDependencies: _dev, ...rest } = manifest;
  const stagedManifest = {
    ...rest,
    dependencies: Object.fromEntries(shipped.map((name) => [name, manifest.dependencies[name]])),
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(stagedManifest, null, 2)}\n`);

  const closure = dependencyClosure(target, root);
  const otherPlatformBinaries = (relPath) => {
    const match = /^bin\/napi-v\d+\/([^/]+)(?:\/([^/]+))?/.exec(relPath);
    return !!match && (match[1] !== os || (match[2] !== undefined && match[2] !== cpu));
  };
  for (const [path, entry] of closure) {
    const src = join(root, path);
    const dest = join(stage, path);
    const name = path.replace(/^.*node_modules\//, '');
    if (existsSync(join(src, 'package.json'))) {
      mirror(
        src,
        dest,
        (r) => r === 'node_modules' || (name === 'onnxruntime-node' && otherPlatformBinaries(r)),
      );
    } else if (fetchMissing) {
      log(`fetching ${name}@${entry.version} for ${target} from the npm registry`);
      fetchPackage(name, entry.version, dest, join(root, '.cache', 'package', 'tarballs'));
    } else {
      log(`leaving out ${name}@${entry.version} (not installed here; fetchMissing is off)`);
    }
  }
  const ortBin = join(stage, 'node_modules', 'onnxruntime-node', 'bin');
  if (
    !readdirSync(ortBin, { recursive: true }).some((f) =>
      String(f).replaceAll('\\', '/').includes(`/${os}/${cpu}/onnxruntime_binding.node`),
    )
  ) {
    throw new Error(`onnxruntime-node has no ${os}/${cpu} binding under ${relative(root, ortBin)}`);
  }
  if (stageOnly) return { target, stage, vsix: undefined };

  const vsix = resolve(out ?? join(root, `${manifest.name}-${target}-${manifest.version}.vsix`));
  mkdirSync(dirname(vsix), { recursive: true });
  log(`vsce package --target ${target} -> ${relative(root, vsix)}`);
  run(
    process.execPath,
    [
      join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
      'package',
      '--target',
      target,
      '--out',
      vsix,
    ],
    { cwd: stage, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return { target, stage, vsix };
}

/** `vsce ls` of a staged folder: the files the .vsix holds, one per line. */
export function vsceLs(stage, root = repoRoot) {
  return run(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls'], {
    cwd: stage,
  })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const flag = (name) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  try {
    const result = packageVsix({
      target: flag('--target') ?? hostTarget(),
      out: flag('--out'),
      build: !argv.includes('--no-build'),
      stageOnly: argv.includes('--stage-only'),
    });
    console.log(result.vsix ?? result.stage);
  } catch (error) {
    console.error(`[package] ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
