/**
 * The layering of src/ and webview/ (STYLE.md "The shape we want"): no import cycle, type-only
 * edges included, and no arrow up a floor. The checker itself is first tried on planted
 * graphs, so a pass on the real tree means something.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBorderViolations, findCycles, floorOf, readImportGraph } from './importGraph';
import type { ImportGraph } from './importGraph';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

test('the checker finds a planted type-only circle and a planted arrow up a floor', () => {
  const planted: ImportGraph = new Map([
    ['src/session/editorSession.ts', ['src/session/viewConnection.ts']],
    ['src/session/viewConnection.ts', ['src/session/modelProposals.ts']],
    ['src/session/modelProposals.ts', ['src/session/editorSession.ts', 'src/core/model.ts']],
    ['src/core/model.ts', []],
    ['src/io/mediaFacts.ts', ['src/host/mediaRoots.ts', 'src/video/mediaPath.ts']],
    ['src/host/mediaRoots.ts', []],
    ['src/video/mediaPath.ts', []],
    ['webview/app.ts', ['src/session/viewConnection.ts', 'src/protocol/messages.ts']],
  ]);
  assert.deepEqual(findCycles(planted), [
    [
      'src/session/editorSession.ts',
      'src/session/modelProposals.ts',
      'src/session/viewConnection.ts',
    ],
  ]);
  assert.deepEqual(findBorderViolations(planted), [
    'src/io/mediaFacts.ts -> src/host/mediaRoots.ts (floor 2 imports floor 4)',
    'webview/app.ts -> src/session/viewConnection.ts (webview may import only webview, core, protocol)',
  ]);
});

test('the reader sees `import type` edges (the ones import-x/no-cycle skips)', () => {
  const graph = readImportGraph(repoRoot, ['test/fixtures/lint/typeCycle']);
  assert.deepEqual(findCycles(graph), [
    ['test/fixtures/lint/typeCycle/first.ts', 'test/fixtures/lint/typeCycle/second.ts'],
  ]);
});

test('src/ and webview/ have no import cycle, type-only edges included', () => {
  const graph = readImportGraph(repoRoot, ['src', 'webview']);
  assert.ok(graph.size > 100, `read only ${graph.size} modules`);
  const cycles = findCycles(graph);
  assert.deepEqual(cycles, [], `cycles:\n${cycles.map((group) => group.join(' <-> ')).join('\n')}`);
});

test('no import runs up a floor, and the webview imports only webview, core and protocol', () => {
  const violations = findBorderViolations(readImportGraph(repoRoot, ['src', 'webview']));
  assert.deepEqual(violations, [], violations.join('\n'));
});

test('every module under src/ sits on a floor (a new folder must be placed in FLOORS)', () => {
  const unplaced = [...readImportGraph(repoRoot, ['src']).keys()].filter(
    (file) => floorOf(file) === undefined,
  );
  assert.deepEqual(unplaced, []);
});
