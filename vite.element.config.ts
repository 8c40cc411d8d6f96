import { defineConfig } from 'vite';

/**
 * The `<structops-lab>` element (src/element/structops-lab.ts) as one classic script,
 * `dist/structops-lab.js`, next to the app it frames. `npm run build` runs this after the app's
 * build (vite.config.ts), into the same folder.
 */
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    lib: {
      entry: 'src/element/structops-lab.ts',
      formats: ['iife'],
      name: 'StructopsLab',
      fileName: () => 'structops-lab.js',
    },
  },
});
