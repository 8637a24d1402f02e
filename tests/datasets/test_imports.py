# License: BSD-3-Clause
"""The modules of mne_denoise.datasets import each other in one direction."""

import ast
import graphlib
from pathlib import Path

import mne_denoise.datasets

_PACKAGE = Path(mne_denoise.datasets.__file__).parent


def _sibling_imports(path):
    """Sibling modules imported by ``path``, at module level or in functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:  # from . import x
                found.update(alias.name for alias in node.names)
    return found


def test_no_import_cycle():
    graph = {
        p.stem: _sibling_imports(p)
        for p in _PACKAGE.glob("*.py")
        if p.stem != "__init__"
    }
    # Raises graphlib.CycleError, naming the modules, if there is a cycle.
    order = list(graphlib.TopologicalSorter(graph).static_order())
    # The readers, the source loaders and the simulators never reach the
    # pools that are built from them.
    for leaf in ("_paths", "_montage", "_readers", "_sources", "_simulate"):
        assert order.index(leaf) < order.index("_pools")
