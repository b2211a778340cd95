import { defineConfig } from 'vite';

// The build is committed (web/dist) and embedded in the Go binary, and
// web/check-build.sh rebuilds it and compares: keep the output a pure
// function of the sources (content hashes, no timestamps, no source maps
// with absolute paths).
export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact', legalComments: 'none' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2020',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev` against a running `guigen serve` on :8080.
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:8080', ws: true },
      '/media': 'http://127.0.0.1:8080',
      '/iiif': 'http://127.0.0.1:8080',
      '/presentation': 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
