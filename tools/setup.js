#!/usr/bin/env node
/**
 * Set-up for the embedded stores, run by `npm ci` / `npm install` (postinstall) and by `npm run setup`.
 * Idempotent; never fails the install: it says what is missing and how to get it, and carries on.
 *
 *  1. Builds the FerretDB launcher (tools/ferretdb, Go) into .bin/siqian-ferretdb when Go is present;
 *     rebuilt only when its sources change (a hash of go.mod, go.sum and *.go is kept beside the binary).
 *  2. Installs Debian's redis-server with apt-get when it is missing and we are root on Debian.
 *  3. Compiles the TypeScript (dist/) so that `npx siqian` works right after install.
 *
 * SIQIAN_SKIP_SETUP=1 skips all of it (the Docker image builds its own way).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const say = (msg) => process.stdout.write(`[siqian setup] ${msg}\n`);
const has = (cmd, args = ['--version']) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', ...opts }).status === 0;

if (process.env.SIQIAN_SKIP_SETUP === '1') {
  say('SIQIAN_SKIP_SETUP=1: skipping');
  process.exit(0);
}

let ok = true;

// 1. FerretDB launcher
const srcDir = path.join(root, 'tools', 'ferretdb');
const bin = path.join(root, '.bin', 'siqian-ferretdb');
const hashFile = `${bin}.sha256`;
const sources = fs
  .readdirSync(srcDir)
  .filter((f) => f === 'go.mod' || f === 'go.sum' || f.endsWith('.go'))
  .sort();
const hash = createHash('sha256');
for (const f of sources) hash.update(f).update(fs.readFileSync(path.join(srcDir, f)));
const digest = hash.digest('hex');
const current = fs.existsSync(bin) && fs.existsSync(hashFile) && fs.readFileSync(hashFile, 'utf8').trim() === digest;
if (current) {
  say('FerretDB launcher is up to date');
} else if (!has('go', ['version'])) {
  ok = false;
  say('Go is not installed: the embedded store (FerretDB launcher) cannot be built.');
  say('  install Go >= 1.24 (Debian: apt-get install golang-go, or https://go.dev/dl), then run: npm run setup');
  say('  or set MONGODB_URI and REDIS_URL to use your own MongoDB and Redis.');
} else {
  say('building the FerretDB launcher (FerretDB v1.24.2, SQLite backend); the first build takes a few minutes ...');
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const started = Date.now();
  if (run('go', ['build', '-trimpath', '-o', bin, '.'], { cwd: srcDir, env: { ...process.env, CGO_ENABLED: '0' } })) {
    fs.writeFileSync(hashFile, `${digest}\n`);
    say(`built ${path.relative(root, bin)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else {
    ok = false;
    say('go build of the FerretDB launcher failed (see above); fix it and run: npm run setup');
  }
}

// 2. redis-server
const redisBin = process.env.REDIS_SERVER_BIN || 'redis-server';
if (has(redisBin)) {
  say('redis-server is installed');
} else if (fs.existsSync('/etc/debian_version') && typeof process.getuid === 'function' && process.getuid() === 0) {
  say('redis-server is missing: installing it with apt-get (Debian, running as root) ...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const installed =
    run('apt-get', ['install', '-y', '-q', 'redis-server'], { env }) ||
    (run('apt-get', ['update', '-q'], { env }) && run('apt-get', ['install', '-y', '-q', 'redis-server'], { env }));
  if (installed) {
    // The package starts a system service on 6379; siqian runs its own redis-server and does not need it.
    say('installed redis-server');
  } else {
    ok = false;
    say('apt-get install redis-server failed (see above)');
  }
} else {
  ok = false;
  say('redis-server is not installed. Install it: Debian/Ubuntu `sudo apt-get install redis-server`, macOS `brew install redis`;');
  say('  or set REDIS_SERVER_BIN, or set MONGODB_URI and REDIS_URL to use your own MongoDB and Redis.');
}

// 3. TypeScript build (dev dependencies present: a source checkout)
const nest = path.join(root, 'node_modules', '.bin', 'nest');
if (fs.existsSync(nest) && fs.existsSync(path.join(root, 'src'))) {
  say('compiling TypeScript (dist/) ...');
  if (!run(nest, ['build'], { cwd: root })) {
    ok = false;
    say('TypeScript build failed (see above)');
  }
}

say(ok ? 'done: `npm start` serves the API on the embedded stores' : 'finished with warnings (see above)');
