/**
 * Settings the editor reads. In an untrusted workspace no executable path or media root is
 * taken from workspace settings (DESIGN.md section 8): only user settings count.
 */
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { TaskType } from '../core/model';
import { parseTask } from '../core/task';
import type { VideoSettings } from '../video/videoSettings';

function trusted<T>(section: string, key: string): T | undefined {
  const cfg = vscode.workspace.getConfiguration(section);
  if (vscode.workspace.isTrusted) return cfg.get<T>(key);
  return cfg.inspect<T>(key)?.globalValue;
}

/** Workspace folders plus configured media roots; a lone file gets its folder's parent. */
export function mediaRoots(datasetPath: string): string[] {
  const folders = (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => f.uri.fsPath);
  const extra = trusted<string[]>('groundwork', 'mediaRoots') ?? [];
  const roots = [...folders, ...extra.filter((r) => typeof r === 'string' && r !== '')];
  return roots.length ? roots : [dirname(dirname(datasetPath))];
}

/** Video settings (binary paths only from trusted sources). */
export function videoSettings(roots: readonly string[]): VideoSettings {
  const ffmpegPath = trusted<string>('groundwork', 'ffmpegPath');
  const ffprobePath = trusted<string>('groundwork', 'ffprobePath');
  return {
    mediaRoots: [...roots],
    ...(ffmpegPath ? { ffmpegPath } : {}),
    ...(ffprobePath ? { ffprobePath } : {}),
  };
}

/** The `groundwork.user` setting: who the person is (empty: git user.name, else the OS user). */
export function configuredUser(): string | undefined {
  const v = vscode.workspace.getConfiguration('groundwork').get<string>('user');
  return typeof v === 'string' ? v : undefined;
}

/** The `groundwork.defaultTask` setting: the task of samples whose line names none (empty: inferred). */
export function configuredDefaultTask(): TaskType | undefined {
  const v = vscode.workspace.getConfiguration('groundwork').get<string>('defaultTask');
  return typeof v === 'string' && v !== '' ? parseTask(v) : undefined;
}

/** Whether the editor's Export includes annotated-but-unapproved samples. */
export function exportDrafts(): boolean {
  return (
    vscode.workspace.getConfiguration('groundwork').get<boolean>('export.includeUnapproved') ===
    true
  );
}

/**
 * Inference settings. Models never run in an untrusted workspace (a worker process loading
 * files a workspace could point at); the models folder is taken from user settings only there.
 */
export function modelSettings(): {
  enabled: boolean;
  offReason?: string;
  device?: 'auto' | 'cuda' | 'cpu';
  modelsDir?: string;
} {
  const device = trusted<string>('groundwork', 'inference.device');
  const modelsDir = expandDir(trusted<string>('groundwork', 'models.dir'));
  return {
    enabled: vscode.workspace.isTrusted,
    ...(vscode.workspace.isTrusted ? {} : { offReason: 'untrusted workspace' }),
    ...(device === 'auto' || device === 'cuda' || device === 'cpu' ? { device } : {}),
    ...(modelsDir ? { modelsDir } : {}),
  };
}

/**
 * A folder setting as people write it: `~/models` is under the home folder, a relative path
 * is relative to the first workspace folder (the worker's own working folder is arbitrary).
 */
function expandDir(dir: string | undefined): string | undefined {
  const given = dir?.trim();
  if (!given) return undefined;
  if (given === '~' || given.startsWith('~/')) return join(homedir(), given.slice(1));
  if (isAbsolute(given)) return given;
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return folder ? resolve(folder.uri.fsPath, given) : given;
}
