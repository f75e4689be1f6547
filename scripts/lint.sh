#!/bin/bash
# Check telco.nfvo with the Ansible ecosystem's own tools, as Galaxy, AWX and a docs site see it, and print one
# pass/fail line per tool (the full output of each is in .build/lint/<tool>.log):
#   ansible-lint      ansible-lint --profile production (.ansible-lint excludes vendored test data only)
#   galaxy-importer   Galaxy's import checks on the built tarball (ansible-test off: it needs docker; its ansible-lint is the one above)
#   docs-lint         antsibull-docs lint-collection-docs --plugin-docs (module, plugin and role docs)
#   docs-site         an antsibull-docs Sphinx site built offline (no intersphinx), with docs/*.md as guides
#   changelog         antsibull-changelog lint, then a release dry run in a temporary copy (root CHANGELOG.rst)
#   ee                ansible-builder create from execution-environment.yml; the context's collection installs
# usage: scripts/lint.sh [TOOL ...]     (default: all, in that order). Exit status non-zero if any failed.
# The tools live in their own cached virtualenv (tests/services/lint.sh, under $NFVO_CACHE).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${*:-ansible-lint galaxy-importer docs-lint docs-site changelog ee}
T0=$(date +%s)
stamp() { printf '[lint %5ds] %s\n' $(( $(date +%s) - T0 )) "$*"; }
BIN=$(bash "$ROOT/tests/services/lint.sh") || { echo "could not build the lint tools' environment"; exit 1; }
export PATH=$BIN:$PATH
W=$ROOT/.build/lint
COLL=$W/ansible_collections/telco/nfvo
export ANSIBLE_COLLECTIONS_PATH=$W ANSIBLE_LOCAL_TEMP=$W/tmp ANSIBLE_NOCOLOR=1 NO_COLOR=1
VERSION=$(sed -n 's/^version: *//p' "$ROOT/galaxy.yml")
TARBALL=telco-nfvo-$VERSION.tar.gz

# the collection as users get it: the files git knows (tracked or new, not ignored) under ansible_collections/telco/nfvo
rm -rf "$W"; mkdir -p "$COLL" "$W/tmp"
(cd "$ROOT" && git ls-files -co --exclude-standard -z | while IFS= read -r -d '' f; do
  [ -e "$f" ] && { mkdir -p "$COLL/$(dirname "$f")"; cp -p "$f" "$COLL/$f"; }
done)

t_ansible_lint() {
  # extensions/awx/configure.yml uses awx.awx: the pinned one the AWX tests use (tests/services/awx_collection.sh)
  local awx; awx=$(bash "$ROOT/tests/services/awx_collection.sh") || return 1
  (cd "$COLL" && ANSIBLE_COLLECTIONS_PATH=$W:$awx ansible-lint --offline --profile production --nocolor)
}

build_tarball() {
  [ -f "$W/dist/$TARBALL" ] || ansible-galaxy collection build --force --output-path "$W/dist" "$COLL"
}

t_galaxy_importer() {
  build_tarball || return 1
  # ansible-test needs docker; its ansible-lint run is the ansible-lint step above (stricter: the production profile)
  printf '[galaxy-importer]\nrun_ansible_test = False\nrun_ansible_lint = False\nrun_ansible_doc = True\n' \
    > "$W/galaxy-importer.cfg"
  local out=$W/galaxy-importer.out
  (cd "$W" && GALAXY_IMPORTER_CONFIG=$W/galaxy-importer.cfg python -m galaxy_importer.main --output-path "$W/importer" \
    "$W/dist/$TARBALL") > "$out" 2>&1  # it writes importer_result.json into the working directory
  local rc=$?
  cat "$out"
  [ "$rc" -eq 0 ] && grep -q '^Importer processing completed successfully' "$out" || return 1
  # a failed check is an ERROR line; none is allowed (its WARNING lines are shown in the log)
  ! grep -E '^ERROR' "$out"
}

t_docs_lint() {
  (cd "$COLL" && antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs all .)
}

t_docs_site() {
  local site=$W/docsite
  mkdir -m 700 "$site" || return 1
  antsibull-docs sphinx-init --use-current --squash-hierarchy --lenient --fail-on-error --use-html-blobs \
    --title 'telco.nfvo' --dest-dir "$site" telco.nfvo || return 1
  cat >> "$site/conf.py" <<'EOF'

# telco.nfvo (scripts/lint.sh): built offline - no intersphinx inventories are fetched; docs/*.md through MyST
extensions = [e for e in extensions if e != 'sphinx.ext.intersphinx'] + ['myst_parser']
intersphinx_mapping = {}
EOF
  (cd "$site" && mkdir -p rst && chmod og-w rst &&
    antsibull-docs --config-file antsibull-docs.cfg collection --cleanup everything --fail-on-error --use-current \
      --squash-hierarchy --use-html-blobs --dest-dir rst telco.nfvo) || return 1
  # the guides: docs/*.md next to the plugin pages, in a toctree of the collection's index page
  mkdir -p "$site/rst/docs"; cp "$ROOT"/docs/*.md "$site/rst/docs/"
  { printf '\n.. toctree::\n   :maxdepth: 1\n   :caption: Guides\n\n'
    for f in "$ROOT"/docs/*.md; do printf '   docs/%s\n' "$(basename "$f" .md)"; done; } >> "$site/rst/index.rst"
  (cd "$site" && sphinx-build -q -b html rst build/html -c .) || return 1
  local f missing=0
  for f in "$ROOT"/docs/*.md; do
    [ -s "$site/build/html/docs/$(basename "$f" .md).html" ] || { echo "not in the site: docs/$(basename "$f")"; missing=1; }
  done
  [ -s "$site/build/html/vnf_module.html" ] || { echo "not in the site: the vnf module's page"; missing=1; }
  [ $missing -eq 0 ] && echo "site: $site/build/html/index.html"
}

t_changelog() {
  (cd "$COLL" && antsibull-changelog lint) || return 1
  # the dry run: a copy outside any git work tree (antsibull-changelog lists the collection's files with git)
  local tmp rel rc=0; tmp=$(mktemp -d); rel=$tmp/ansible_collections/telco/nfvo
  mkdir -p "$rel" && cp -a "$COLL/." "$rel/" || return 1
  (cd "$rel" && env -u ANSIBLE_COLLECTIONS_PATH antsibull-changelog release --version "$VERSION" \
    --date "$(date -u +%Y-%m-%d)") || rc=1
  if [ $rc -eq 0 ] && [ ! -s "$rel/CHANGELOG.rst" ]; then echo "the release wrote no root CHANGELOG.rst"; rc=1; fi
  if [ $rc -eq 0 ] && ! { grep -q "^v$VERSION\$" "$rel/CHANGELOG.rst" && grep -q '^New Modules' "$rel/CHANGELOG.rst"; }; then
    echo "CHANGELOG.rst has no v$VERSION section with its new modules"; rc=1
  fi
  [ $rc -eq 0 ] && cp "$rel/CHANGELOG.rst" "$W/CHANGELOG.rst" && echo "dry run: .build/lint/CHANGELOG.rst"
  rm -rf "$tmp"; return $rc
}

t_ee() {
  build_tarball || return 1
  cp "$W/dist/$TARBALL" "$COLL/" || return 1
  (cd "$COLL" && ansible-builder create -f execution-environment.yml -c "$W/ee" -v 2) || return 1
  local ctx=$W/ee/_build
  [ -f "$ctx/requirements.yml" ] || { echo "no galaxy requirements in the build context"; return 1; }
  # what the galaxy stage of the image build runs (WORKDIR is the context's _build): the collection must install
  (cd "$ctx" && ANSIBLE_COLLECTIONS_PATH=$W/ee-collections ansible-galaxy collection install --offline -r requirements.yml -p "$W/ee-collections") || return 1
  [ -f "$W/ee-collections/ansible_collections/telco/nfvo/MANIFEST.json" ] || return 1
  # what the builder stage adds from the collection's own requirements.txt and bindep.txt
  python3 "$ctx/scripts/introspect.py" introspect "$W/ee-collections" > "$W/ee-introspect.yml" || return 1
  cat "$W/ee-introspect.yml"; grep -q '^system: \[\]' "$W/ee-introspect.yml" || { echo "the EE would install system packages"; return 1; }
  grep -m1 '^FROM' "$W/ee/"*file
}

declare -A RESULT=(); FAILED=0
for tool in $TOOLS; do
  fn=t_${tool//-/_}
  declare -F "$fn" > /dev/null || { echo "unknown tool $tool (one of: ansible-lint galaxy-importer docs-lint docs-site changelog ee)"; exit 2; }
  t=$(date +%s); stamp "$tool ..."
  if "$fn" > "$W/$tool.log" 2>&1; then RESULT[$tool]="passed"; else RESULT[$tool]="FAILED"; FAILED=1; tail -25 "$W/$tool.log"; fi
  RESULT[$tool]="${RESULT[$tool]} ($(( $(date +%s) - t ))s, .build/lint/$tool.log)"
  stamp "$tool ${RESULT[$tool]}"
done
stamp "summary:"; for tool in $TOOLS; do printf '  %-16s %s\n' "$tool" "${RESULT[$tool]}"; done
exit $FAILED
