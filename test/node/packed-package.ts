/**
 * The published package as a user gets it: `npm pack` of this repo (it needs
 * `npm run build` first), installed with `npm install <tarball>` into a new
 * project in a temp dir. Shared by the package test and the real-integration
 * suite, so both exercise exactly what npm would ship.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export function npm(args: string[], cwd: string): string {
  const r = spawnSync(NPM, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'error' } });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

export interface PackedInstall {
  /** The temp dir holding the tarball and the project. */
  dir: string;
  /** The fresh project (`package.json` of type module, the tarball in its node_modules). */
  app: string;
  /** The installed package: `<app>/node_modules/<name>`. */
  installed: string;
  /** The files in the tarball, as `npm pack --dry-run` lists them. */
  files: string[];
  /** Deletes the temp dir. */
  remove(): void;
}

/** Packs the built repo and installs the tarball into a fresh project named `appName`. */
export function installPackedTarball(appName = 'fresh-app'): PackedInstall {
  for (const f of ['dist/esm/index.js', 'dist/install/core.js', 'custom-elements.json']) {
    assert.ok(existsSync(join(ROOT, f)), `${f} is missing: run "npm run build" first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'twt-pack-'));
  try {
    const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const tarball = join(dir, packed[0]!.filename.replace(/^@[^/]+\//, '').replace('/', '-'));
    assert.ok(existsSync(tarball), `npm pack produced no ${tarball}`);
    const app = join(dir, appName);
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: appName, version: '0.0.0', private: true, type: 'module' }, null, 2));
    npm(['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], app);
    return { dir, app, installed: join(app, 'node_modules', pkg.name), files: packed[0]!.files.map((f) => f.path), remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
