/** The editor's keys as a person has bound them: defaults, then keybindings.json (JSONC). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  effectiveBindings,
  normaliseKey,
  parseJsonc,
  readKeybindings,
} from '../../../src/host/keybindingFile';

const P = 'groundwork.editor.';
const defaults = [
  { key: 'enter', command: `${P}accept` },
  { key: 'shift+=', command: `${P}zoomBy.+1.25` },
  { key: '=', command: `${P}zoomBy.+1.25` },
  { key: 'a', command: `${P}approveSample` },
  { key: 'ctrl+p', command: 'workbench.action.quickOpen' },
];

test('keybindings.json with comments and trailing commas', () => {
  const text = `// Place your key bindings in this file
[
  /* rebound */ { "key": "Q", "command": "groundwork.editor.accept", "when": "x // not a comment" },
  { "key": "enter", "command": "-groundwork.editor.accept" },
  { "command": "-groundwork.editor.approveSample" },
  { "key": "shift+ctrl+k", "command": "groundwork.editor.approveSample", },
]`;
  const user = readKeybindings(text);
  assert.equal(user[0]?.when, 'x // not a comment');
  assert.deepEqual(effectiveBindings(defaults, user, P), {
    [`${P}accept`]: ['q'],
    [`${P}zoomBy.+1.25`]: ['shift+=', '='],
    [`${P}approveSample`]: ['ctrl+shift+k'],
  });
});

test('an empty or unreadable-as-list file leaves the defaults', () => {
  assert.deepEqual(readKeybindings(''), []);
  assert.deepEqual(readKeybindings('{"key": "q"}'), []);
  assert.deepEqual(effectiveBindings(defaults, [], P)[`${P}accept`], ['enter']);
  assert.throws(() => parseJsonc('[{"key": }]'));
});

test('modifier order and case do not matter', () => {
  fc.assert(
    fc.property(
      fc.shuffledSubarray(['ctrl', 'shift', 'alt'], { minLength: 1 }),
      fc.constantFrom('a', 'left', 'enter', '/'),
      fc.boolean(),
      (mods, key, upper) => {
        const written = [...mods, key].join('+');
        const sorted = ['ctrl', 'shift', 'alt'].filter((m) => mods.includes(m));
        assert.equal(
          normaliseKey(upper ? written.toUpperCase() : written),
          [...sorted, key].join('+'),
        );
      },
    ),
  );
});
