import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { libraryLaneOrders } from './scripts/build/laneOrderCache';
import { formatIssues, parseScenario } from './src/scenario/parse';
import { APP_POLICY, policyText } from './src/security/contentSecurityPolicy';

/**
 * Library scenarios are validated when the app is built and shipped as JSON modules, so the
 * page starts without the YAML parser and the schema validator (those load on demand, for
 * scenario files and the console). `?meta` imports are only a scenario's id, title and summary
 * (the picker's list, in the first bundle; each scenario is a chunk of its own, loaded when it
 * is opened). A scenario's module also carries its lane orders (`laneOrders`: which object goes
 * where in its lane for the fewest crossings), computed here by simulating the scenario and
 * laying it out with elkjs, so the first graph needs no layout work and elkjs never ships to
 * the page. `?raw` imports keep their text.
 */
function scenarioLibrary(): Plugin {
  return {
    name: 'structops-lab-scenario-library',
    async transform(code, id) {
      const meta = id.endsWith('.yaml?meta');
      if (!id.endsWith('.yaml') && !meta) return null;
      const file = meta ? id.slice(0, -'?meta'.length) : id;
      const r = parseScenario(code);
      if (!r.ok) this.error(`invalid scenario\n${formatIssues(r.issues, file)}`);
      const { id: sid, title, summary } = r.scenario;
      if (meta)
        return {
          code: `export default ${JSON.stringify({ id: sid, title, summary })};`,
          map: null,
        };
      const orders = await libraryLaneOrders(code, r.scenario);
      return {
        code: `export default ${JSON.stringify(r.scenario)};\nexport const laneOrders = ${JSON.stringify(orders)};`,
        map: null,
      };
    },
  };
}

/**
 * `npm run dev` serves `/structops-lab.js` (the `<structops-lab>` element, which the build
 * writes as one classic script) as a classic script that imports the element's source, so the
 * example pages work in development too.
 */
function elementInDev(): Plugin {
  return {
    name: 'structops-lab-element-dev',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.split('?')[0] !== '/structops-lab.js') return next();
        res.setHeader('Content-Type', 'text/javascript');
        res.end("import('/src/element/structops-lab.ts');\n");
      });
    },
  };
}

/**
 * The built index.html carries the app's Content Security Policy as a meta tag. Only the build:
 * the development server injects an inline script of its own (React's fast refresh).
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'structops-lab-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: policyText(APP_POLICY) },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  // Relative asset paths: the built folder runs from any static host under any sub-path.
  base: './',
  plugins: [react(), scenarioLibrary(), elementInDev(), contentSecurityPolicy()],
  // The scenario loader's worker is a module worker, so its parser can be a chunk of its own
  // that loads only for the jobs that parse (library scenarios only run).
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    globalSetup: ['scripts/build/warmLaneOrders.ts'],
  },
});
