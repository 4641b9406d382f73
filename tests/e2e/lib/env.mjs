// Where things are. `cargo xtask test` sets these variables; the defaults match a repository
// checkout after `cargo xtask build`, so `node --test tests/e2e/` also works on its own.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Repository root. */
export const repoRoot = process.env.PARLO_REPO_ROOT ?? resolve(here, '../../..');
/** The `parlo-server` binary: `cargo xtask test` passes its debug build, the benchmarks the release one. */
export const serverBin = process.env.PARLO_SERVER_BIN ?? join(repoRoot, 'target/release/parlo-server');
/** The built npm package (served at `/pkg/`, its `loader.js` at `/embed.js`). */
export const pkgDir = process.env.PARLO_PKG_DIR ?? join(repoRoot, 'pkg');
/** The demo site (served at `/`). */
export const wwwDir = process.env.PARLO_WWW_DIR ?? join(repoRoot, 'www');
/** Chromium executable (Debian's). */
export const chromiumPath = process.env.PARLO_CHROMIUM ?? '/usr/bin/chromium';
/** Server logs, failure screenshots and other leftovers of a run (gitignored). */
export const artifactsDir = join(repoRoot, 'tests/e2e/artifacts');
/** `docs/`, where the README screenshot lives. */
export const docsDir = join(repoRoot, 'docs');
