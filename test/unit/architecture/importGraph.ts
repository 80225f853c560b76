/**
 * The import graph of src/ and webview/, type-only edges included (import-x/no-cycle skips
 * `import type`, and a type-only circle is still a circle between ideas), and the two rules
 * the architecture test holds it to: no cycle, and no arrow up a floor.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** Module path (repo-relative, forward slashes) to the modules it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/**
 * The floors of src/, lowest first (STYLE.md): an import may go down or sideways, never up.
 * `src/extension.ts` registers the VS Code front, so it sits with host.
 */
export const FLOORS: readonly (readonly string[])[] = [
  ['src/core'],
  ['src/protocol'],
  ['src/io', 'src/video', 'src/inference'],
  ['src/session'],
  ['src/host', 'src/server', 'src/cli', 'src/extension.ts'],
];

/** What the webview (a browser program) may import: itself and the two pure layers. */
export const WEBVIEW_MAY_IMPORT: readonly string[] = ['webview', 'src/core', 'src/protocol'];

function isUnder(file: string, place: string): boolean {
  return file === place || file.startsWith(`${place}/`);
}

/** The floor of a module, or undefined for a file outside src/ (webview, tests). */
export function floorOf(file: string): number | undefined {
  const floor = FLOORS.findIndex((places) => places.some((place) => isUnder(file, place)));
  return floor >= 0 ? floor : undefined;
}

function listTs(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...listTs(path));
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const stem = base.replace(/\.(js|mjs|ts|mts)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.mts`, join(base, 'index.ts')];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/**
 * Reads every .ts module under `roots` (relative to `repoRoot`) with TypeScript's own
 * pre-processor, which lists `import type`, `export ... from` and `import()` alike. Bare
 * specifiers (packages, node:*) are left out: the compilers guard those borders.
 */
export function readImportGraph(repoRoot: string, roots: readonly string[]): ImportGraph {
  const graph = new Map<string, string[]>();
  const toKey = (path: string): string => relative(repoRoot, path).split(sep).join('/');
  for (const root of roots) {
    for (const file of listTs(join(repoRoot, root))) {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = new Set<string>();
      for (const imported of info.importedFiles) {
        if (!imported.fileName.startsWith('.')) continue;
        const target = resolveRelative(file, imported.fileName);
        if (target) targets.add(toKey(target));
      }
      graph.set(toKey(file), [...targets].sort());
    }
  }
  return graph;
}

/** Every strongly connected group of more than one module (or a module importing itself). */
export function findCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm: one pass, each group reported once, in a stable order.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    const selfLoop = (graph.get(node) ?? []).includes(node);
    if (group.length > 1 || selfLoop) groups.push(group.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return groups;
}

/** Every import that runs up a floor, or out of what the webview may import, as "from -> to". */
export function findBorderViolations(graph: ImportGraph): string[] {
  const violations: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      if (isUnder(from, 'webview')) {
        if (!WEBVIEW_MAY_IMPORT.some((place) => isUnder(to, place)))
          violations.push(`${from} -> ${to} (webview may import only webview, core, protocol)`);
        continue;
      }
      const fromFloor = floorOf(from);
      if (fromFloor === undefined) continue;
      if (isUnder(to, 'webview')) {
        violations.push(`${from} -> ${to} (src never imports the webview)`);
        continue;
      }
      const toFloor = floorOf(to);
      if (toFloor !== undefined && toFloor > fromFloor)
        violations.push(`${from} -> ${to} (floor ${fromFloor} imports floor ${toFloor})`);
    }
  }
  return violations.sort();
}
