#!/usr/bin/env bash
# Copy the small previews of the report-site pages that the browser tests save into docs/. Run after
#   NARRATIVES_REQUIRE_BROWSER=1 pytest tests/test_report_browser.py -k site
set -euo pipefail
cd "$(dirname "$0")/.."
for kind in week narrative candidate group; do
    cp "test-artifacts/preview-site-$kind.png" "docs/site-$kind.png"
done
ls -l docs/site-*.png
