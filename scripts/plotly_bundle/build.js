// Builds jamlik/portal/static/vendor/plotly.min.js: plotly.js (MIT) with only the traces the
// portal draws (scatter from the core, bar, choropleth). Run by scripts/build_plotly.sh.
const fs = require('fs');
const version = require('plotly.js/package.json').version;
require('esbuild').build({
  entryPoints: [__dirname + '/entry.js'], outfile: process.argv[2], format: 'iife',
  globalName: 'Plotly', bundle: true, minify: true, legalComments: 'none',
  alias: {stream: 'stream-browserify'},
  loader: {'.css': 'empty'},  // only maplibre's stylesheet (map traces, not bundled) is imported
  define: {global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false'},
  target: 'es2016', logLevel: 'warning',
  banner: {js: `/*! plotly.js v${version} (MIT licence, Copyright 2012-2026 Plotly, Inc.; ` +
    'https://github.com/plotly/plotly.js). Partial bundle for jamlik: core + scatter, bar, ' +
    'choropleth (scripts/build_plotly.sh). */'},
}).catch(() => process.exit(1));
