// Opt-in: installs onnxruntime-node's CUDA 12 execution provider (not installed by default,
// because scripts/setup.mjs runs `npm ci` with ONNXRUNTIME_NODE_INSTALL=skip so that it works offline).
//
//   node scripts/gpu-install.mjs            # needs the network (api.nuget.org), linux/x64 or win32/x64,
//                                           # an NVIDIA driver, CUDA 12 and cuDNN 9 on the machine
//
// It runs onnxruntime-node's own install script with ONNXRUNTIME_NODE_INSTALL=cuda12 (the variable
// its script/install-utils.js reads), then checks that the provider library arrived. Afterwards
// `groundwork doctor --json` shows whether CUDA really loads; groundwork.inference.device "auto"
// then picks it up.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const platform = `${process.platform}/${process.arch}`;
if (platform !== 'linux/x64' && platform !== 'win32/x64') {
  console.error(
    `gpu-install: onnxruntime-node publishes a CUDA provider only for linux/x64 and win32/x64, not ${platform}.`,
  );
  process.exit(1);
}
const pkgDir = dirname(require.resolve('onnxruntime-node/package.json'));
const script = join(pkgDir, 'script', 'install.js');
if (!existsSync(script)) {
  console.error(`gpu-install: ${script} is missing; reinstall onnxruntime-node.`);
  process.exit(1);
}
const lib =
  process.platform === 'win32'
    ? 'onnxruntime_providers_cuda.dll'
    : 'libonnxruntime_providers_cuda.so';
const target = join(pkgDir, 'bin', 'napi-v6', process.platform, process.arch, lib);
const timeoutMs = Number(process.env.GPU_INSTALL_TIMEOUT_MS ?? 300_000);
console.log(
  `gpu-install: running ${script} with ONNXRUNTIME_NODE_INSTALL=cuda12 (timeout ${timeoutMs / 1000} s)`,
);
const run = spawnSync(process.execPath, [script], {
  cwd: pkgDir,
  stdio: 'inherit',
  timeout: timeoutMs,
  env: {
    ...process.env,
    ONNXRUNTIME_NODE_INSTALL: 'cuda12',
    npm_config_onnxruntime_node_install: 'cuda12',
  },
});
if (run.error || run.status !== 0 || !existsSync(target)) {
  const why = run.error
    ? run.error.message
    : run.status !== 0
      ? `it exited with code ${run.status}`
      : `${lib} did not appear`;
  console.error(`\ngpu-install: the CUDA provider was not installed: ${why}.`);
  console.error(
    '  It downloads Microsoft.ML.OnnxRuntime.Gpu.Linux from api.nuget.org: check the network or proxy',
  );
  console.error(
    '  (GLOBAL_AGENT_HTTPS_PROXY is honoured). Groundwork keeps running on the CPU meanwhile.',
  );
  process.exit(1);
}
console.log(
  `gpu-install: installed ${target}. Run "groundwork doctor --json" to check that CUDA loads.`,
);
