#!/usr/bin/env bash
# Build the HTML documentation into doc/_build/html; warnings are errors.
#
#   doc/build.sh                          fast: tutorials rendered, not executed
#   MNE_DENOISE_DOC_FAST=0 doc/build.sh   full: every tutorial is executed
#   doc/build.sh --clean [...]            start from scratch; other arguments
#                                         go to sphinx-build
# PYTHON=/path/to/python picks the interpreter (default: python).
set -euo pipefail
cd "$(dirname "$0")"
export MNE_DENOISE_DOC_FAST="${MNE_DENOISE_DOC_FAST:-1}"
export MPLBACKEND=Agg
PYTHON="${PYTHON:-python}"
mode=$([[ "$MNE_DENOISE_DOC_FAST" == "1" ]] && echo fast || echo full)
if [[ "${1:-}" == "--clean" ]]; then
    shift
    rm -rf _build generated auto_tutorials
fi
# The tutorial pages of one mode must not be reused by the other.
if [[ -f _build/mode && "$(cat _build/mode)" != "$mode" ]]; then
    rm -rf _build generated auto_tutorials
fi
mkdir -p _build
echo "$mode" > _build/mode
start=$(date +%s)
"$PYTHON" -m sphinx -b html -E -W --keep-going -q -d _build/doctrees . \
    _build/html "$@"
echo "Documentation built in $(( $(date +%s) - start )) s ($mode mode):" \
    "$(pwd)/_build/html/index.html"
