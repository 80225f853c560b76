/**
 * Who the person at the editor is (DESIGN.md section 2, "People"): the `groundwork.user`
 * setting (or serve's `--user`), else the git `user.name` of the dataset's folder, else the
 * OS user. Both fronts resolve it here, so VS Code and serve record the same name.
 */
import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';

/** How long `git config` may take: a hung credential helper must not block opening a file. */
export const GIT_TIMEOUT_MS = 2000;

/** Where the fallbacks come from (tests replace them). */
export interface IdentitySources {
  /** The folder of the dataset: its git repository names the person. */
  readonly cwd: string;
  readonly git?: (cwd: string) => Promise<string | undefined>;
  readonly osUser?: () => string | undefined;
}

/** A name as given, trimmed; empty is no name (an unset setting is ""). */
function named(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t.slice(0, 200) : undefined;
}

/** `git config user.name` run in `cwd`; undefined when git is missing, slow or unset. */
export function gitUserName(cwd: string): Promise<string | undefined> {
  return new Promise((done) => {
    try {
      execFile(
        'git',
        ['config', 'user.name'],
        { cwd, timeout: GIT_TIMEOUT_MS, windowsHide: true },
        (err, stdout) => done(err ? undefined : named(String(stdout))),
      );
    } catch {
      done(undefined);
    }
  });
}

/** The OS user's login name; undefined where the OS has none (some containers). */
export function osUserName(): string | undefined {
  try {
    return named(userInfo().username);
  } catch {
    return undefined;
  }
}

/** The fallback identity when no setting names the person: git's user.name, else the OS user. */
export async function fallbackUser(src: IdentitySources): Promise<string | undefined> {
  const git = await (src.git ?? gitUserName)(src.cwd);
  return named(git) ?? named((src.osUser ?? osUserName)());
}

/** The person: `configured` (setting, `--user`) when it names one, else the fallback. */
export async function resolveUser(
  configured: string | undefined,
  src: IdentitySources,
): Promise<string | undefined> {
  return named(configured) ?? fallbackUser(src);
}

/** The setting when it names someone, else the fallback resolved once (read at each edit). */
export function userReader(
  setting: () => string | undefined,
  fallback: string | undefined,
): () => string | undefined {
  return () => named(setting()) ?? fallback;
}
