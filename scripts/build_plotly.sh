#!/usr/bin/env bash
# Rebuild the portal's vendored Plotly bundle (jamlik/portal/static/vendor/plotly.min.js):
# plotly.js with only the traces jamlik draws (scatter, bar, choropleth), minified with esbuild.
# The full bundle is 4.8 MB (1.47 MB gzipped); this one about 1.4 MB (480 KB gzipped).
# Not part of `make setup`: the built file is committed. Needs npm (the npm registry).
# Usage: bash scripts/build_plotly.sh [PLOTLY_VERSION]   (default: the one the plotly Python package ships)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
version="${1:-4.1.1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/plotly_bundle/entry.js" "$here/plotly_bundle/build.js" "$work/"
cd "$work"
echo '{"name": "jamlik-plotly-bundle", "private": true}' > package.json
npm install --no-audit --no-fund --ignore-scripts "plotly.js@$version" esbuild@0.28.2 >/dev/null
node build.js "$root/jamlik/portal/static/vendor/plotly.min.js"
ls -l "$root/jamlik/portal/static/vendor/plotly.min.js"
