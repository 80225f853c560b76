/**
 * While the frame on screen is decoded, low-priority processes are stopped and then go on:
 * a niced child's CPU clock does not move during a hold and moves again after it; a hold
 * that is never released ends by itself, and nested holds continue the children only when
 * the last one ends.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { holdLowPriority, lowPriorityState } from '../../../src/video/lowPriorityHold';
import { startProcess } from '../../../src/video/processRunner';

const skip = process.platform !== 'linux' ? 'needs /proc and job control signals' : false;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** CPU ticks (user + system) of process `pid`, from /proc. */
function ticks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

/** Process state letter (R running, S sleeping, T stopped). */
function state(pid: number): string {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? '?';
}

test('a hold stops low-priority children until released', { skip }, async () => {
  const busy = startProcess('sh', ['-c', 'while :; do :; done'], {
    what: 'a busy loop',
    lowPriority: true,
  });
  busy.done.catch(() => undefined);
  const pid = busy.child.pid as number;
  try {
    assert.equal(lowPriorityState().live >= 1, true);
    const outer = holdLowPriority();
    const inner = holdLowPriority();
    await sleep(100);
    assert.equal(state(pid), 'T', 'stopped during the hold');
    const before = ticks(pid);
    await sleep(200);
    assert.equal(ticks(pid), before, 'no CPU while held');
    inner();
    await sleep(50);
    assert.equal(state(pid), 'T', 'still held by the outer hold');
    outer();
    await sleep(200);
    assert.notEqual(state(pid), 'T', 'going on after the last release');
    assert.ok(ticks(pid) > before, 'running again');
    // A hold nobody releases ends after its limit (1 s).
    holdLowPriority();
    await sleep(100);
    assert.equal(state(pid), 'T');
    await sleep(1100);
    assert.notEqual(state(pid), 'T');
    assert.equal(lowPriorityState().held, false);
  } finally {
    busy.child.kill('SIGKILL');
  }
});
