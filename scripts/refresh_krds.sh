#!/usr/bin/env bash
# Refresh the vendored KRDS (Korea Design System, npm package "krds-uiux") files under static/vendor/krds/.
#
# Usage: scripts/refresh_krds.sh [version]      (default: the newest 1.x release)
#
# Only what the portal uses is vendored: the design tokens (CSS custom properties), the Pretendard GOV web
# font (Regular/Bold, woff2 subsets) and the package's licence notice. Review the diff, run the accessibility
# tests (pytest tests/test_accessibility.py) and commit the result.
set -euo pipefail

VERSION="${1:-1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/static/vendor/krds"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
TARBALL="$(npm pack --silent "krds-uiux@$VERSION")"
tar -xzf "$TARBALL"
PKG="$WORK/package"
RESOLVED="$(node -p "require('$PKG/package.json').version")"

mkdir -p "$DEST/css" "$DEST/fonts"
cp "$PKG/resources/css/token/krds_tokens.css" "$DEST/css/krds_tokens.css"
for weight in Regular Bold; do
  cp "$PKG/resources/fonts/PretendardGOV-$weight.subset.woff2" "$DEST/fonts/"
done
cp "$PKG/README.md" "$DEST/README.krds.md"
cp "$PKG/package.json" "$DEST/package.json"

cat > "$DEST/VERSION" <<INFO
krds-uiux $RESOLVED (npm), vendored $(date -u +%Y-%m-%d) by scripts/refresh_krds.sh
tarball sha1: $(sha1sum "$TARBALL" | cut -d' ' -f1)
INFO
echo "KRDS $RESOLVED vendored into $DEST"
