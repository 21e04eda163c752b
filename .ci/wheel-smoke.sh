#!/usr/bin/env bash
# partnerdocs as an organisation installs it, outside this checkout:
# 1. build the sdist and the wheel (`python -m build`: the wheel from the sdist);
# 2. install the wheel alone into a fresh venv and run the README's workspace
#    path: init, validate --strict, generate, and new + check refusing the
#    skeleton's placeholders;
# 3. run this repository's pre-commit hook on that workspace with
#    `pre-commit try-repo`: it passes, then fails on a broken template;
# 4. run the steps of the composite Action (action.yml) on the workspace.
# Needs the checkout's .venv (`make test` makes it: build and pre-commit are in
# the dev extra), git, and the package index for the wheel's dependencies.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dev="$repo/.venv/bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say() { printf '\n== %s\n' "$*"; }

say "build the sdist and the wheel"
"$dev/python" -m build --outdir "$work/dist" "$repo" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
ls "$work/dist"

say "a fresh venv with only the wheel, outside the checkout"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$work"/dist/*.whl
pd="$work/venv/bin/partnerdocs"
cd "$work"
"$pd" --version
"$pd" init ws >/dev/null
cd ws
"$pd" validate --strict
"$pd" generate records/*.yaml >/dev/null
ls out/*/contract/*.docx out/*/comms/press-release.en.docx
"$pd" new r.yaml
if "$pd" check r.yaml >"$work/check.txt" 2>&1; then
  echo "check accepted a skeleton full of placeholders"; exit 1
fi
grep "partner.legal_name: placeholder 'FILL IN' not replaced" "$work/check.txt"
rm r.yaml

say "pre-commit try-repo: the partnerdocs-validate hook on the workspace"
export PRE_COMMIT_HOME="$work/pre-commit-home"
git init -q
git add -A
git -c user.name=ci -c user.email=ci@example.org commit -qm "workspace"
"$dev/pre-commit" try-repo "$repo" partnerdocs-validate --all-files
sed -i 's/{{ partner.short_name }}/{{ partner.short_nam }}/' comms_templates/credit-line.en.yaml
grep -q "partner.short_nam }}" comms_templates/credit-line.en.yaml || { echo "the template to break has changed"; exit 1; }
git add -A
if "$dev/pre-commit" try-repo "$repo" partnerdocs-validate --all-files >"$work/hook.txt" 2>&1; then
  cat "$work/hook.txt"; echo "the hook passed a broken template"; exit 1
fi
grep "unknown variable 'partner.short_nam'" "$work/hook.txt"
git checkout -q HEAD -- comms_templates/credit-line.en.yaml

say "the composite Action's steps"
"$dev/python" - "$repo/action.yml" >"$work/action.sh" <<'PY'
import sys, yaml
for step in yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]:
    if "run" in step:
        print(step["run"])
PY
RUNNER_TEMP="$work/runner" GITHUB_ACTION_PATH="$repo" STRICT=true bash -euo pipefail "$work/action.sh"
echo "wheel smoke test: passed"
