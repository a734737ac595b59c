// Shared helpers of the browser tests: start the real server on a fresh
// data directory, launch Debian's chromium through playwright-core, and
// watch pages for script errors and CSP violations.
//
// Environment: YICHUANG_BIN (default build/debug/yichuang),
// CHROMIUM_PATH (default /usr/bin/chromium).

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.YICHUANG_BIN || path.join(ROOT, 'build', 'debug', 'yichuang');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'docs', 'screenshots');
export const DESKTOP = { width: 1920, height: 1080 };
export const PHONE = { width: 390, height: 844 };

function needBinary() {
  if (!existsSync(BIN)) {
    throw new Error(`server binary ${BIN} not found: build it (cmake --preset debug && cmake --build --preset debug) or set YICHUANG_BIN`);
  }
}

/**
 * Start the server in a new temporary data directory.
 *   mode 'serve': `yichuang init --admin-password P` then `yichuang serve`
 *   mode 'demo':  `yichuang demo` (demo county, all passwords Demo2026yc)
 * The working directory is the repository root so share/ is found.
 * Returns {base, dataDir, log(), stop()}; stop() ends the server with
 * SIGTERM (SIGKILL after 5 s) and removes the data directory.
 */
export async function startServer({ mode = 'serve', adminPassword } = {}) {
  needBinary();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'yc-browser-'));
  const portFile = path.join(dataDir, 'port');
  const common = ['--data', dataDir, '--port', '0', '--bind', '127.0.0.1', '--port-file', portFile, '--web', path.join(ROOT, 'web')];
  let args;
  if (mode === 'demo') {
    args = ['demo', ...common];
  } else {
    execFileSync(BIN, ['init', '--data', dataDir, '--admin-password', adminPassword], { stdio: 'pipe', cwd: ROOT });
    args = ['serve', ...common];
  }
  let log = '';
  const server = spawn(BIN, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));

  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  // The demo loads a county first, so allow it more time than a bare serve.
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) {
      await stop();
      throw new Error(`server exited (${server.exitCode}):\n${log}`);
    }
    let port = '';
    try {
      port = readFileSync(portFile, 'utf8').trim();
    } catch {
      // not written yet
    }
    if (/^\d+$/.test(port) && port !== '0') {
      return { base: `http://127.0.0.1:${port}`, dataDir, log: () => log, stop };
    }
    await sleep(50);
  }
  await stop();
  throw new Error(`server did not write ${portFile} within 30 s:\n${log}`);
}

export function launchBrowser() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Record script errors and CSP violations of a page into problems[];
 * failed fetches (401, 409...) are expected answers, not problems.
 */
export function watch(p, problems) {
  p.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${m.text()}`);
    }
  });
}

export function shot(p, name, opts = {}) {
  return p.screenshot({ path: path.join(SHOTS, name), ...opts });
}

export async function login(p, username, password) {
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
}

export async function openMenu(p, title) {
  await p.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: title, exact: true }).click();
  await p.getByRole('heading', { level: 1, name: title }).waitFor();
}
