// esbuild builds src/app.ts into esbuild/dist/: ES modules with code splitting, so each of the
// package's bundles is a chunk loaded on demand. esbuild does not emit the files named by
// `new URL("…", import.meta.url)`, so the package's wasm files are copied next to the chunks,
// where their glue looks for them.
import { build } from 'esbuild';
import { copyFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const outdir = here('./esbuild/dist');

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { app: here('./src/app.ts') },
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  outdir,
  logLevel: 'warning',
});
for (const wasm of ['parlo_widget_bg.wasm', 'prechat/parlo_prechat_bg.wasm', 'forms/parlo_forms_bg.wasm', 'client/parlo_client_bg.wasm']) {
  copyFileSync(here(`./node_modules/parlo/${wasm}`), `${outdir}/${basename(wasm)}`);
}
