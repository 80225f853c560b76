/**
 * Settings the editor reads. In an untrusted workspace no executable path or media root is
 * taken from workspace settings (DESIGN.md section 8): only user settings count.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
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
  const modelsDir = trusted<string>('groundwork', 'models.dir');
  return {
    enabled: vscode.workspace.isTrusted,
    ...(vscode.workspace.isTrusted ? {} : { offReason: 'untrusted workspace' }),
    ...(device === 'auto' || device === 'cuda' || device === 'cpu' ? { device } : {}),
    ...(modelsDir ? { modelsDir } : {}),
  };
}
