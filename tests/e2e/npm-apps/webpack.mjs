// webpack 5 (its Node API) builds src/app.ts into webpack/dist/ (production mode, defaults
// otherwise): the package's bundles become chunks loaded on demand, their wasm files assets.
import webpack from 'webpack';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const config = {
  mode: 'production',
  entry: here('./src/app.ts'),
  output: {
    path: here('./webpack/dist'),
    filename: 'app.js',
    chunkFilename: '[id]-[contenthash].js',
    // The wasm files keep their names (for the size report).
    assetModuleFilename: '[name]-[contenthash][ext]',
    clean: true,
  },
  resolve: { extensions: ['.ts', '.js'] },
  module: { rules: [{ test: /\.ts$/, loader: here('./webpack-ts-loader.cjs') }] },
  performance: { hints: false },
};

const stats = await new Promise((resolve, reject) =>
  webpack(config, (error, result) => (error ? reject(error) : resolve(result))),
);
const { errors, warnings } = stats.toJson({ all: false, errors: true, warnings: true });
for (const problem of [...errors, ...warnings]) console.error(problem.message);
if (stats.hasErrors() || stats.hasWarnings()) process.exit(1);
