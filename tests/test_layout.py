"""The layout the package promises: no import cycle, studies kept apart."""

import ast
from pathlib import Path

import mne_denoise

PACKAGE = Path(mne_denoise.__file__).parent


def _module_name(path):
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path):
    """Modules of the package that ``path`` imports (at any level)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        out |= {t for t in targets if t.startswith("mne_denoise")}
    return out


def _graph():
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        # An import of a package or of a name in it is an edge to a module.
        graph[name] = {t if t in modules else t.rsplit(".", 1)[0]
                       for t in _imports(path)} & set(modules) - {name}
    return graph


def test_library_never_imports_the_studies():
    for name, deps in _graph().items():
        if name.startswith(("mne_denoise.studies", "mne_denoise.cli")):
            continue
        bad = sorted(d for d in deps if d.startswith("mne_denoise.studies"))
        assert not bad, f"{name} imports the studies: {bad}"


def test_no_import_cycle_between_modules():
    graph = _graph()
    # Package __init__ files re-export their own modules; their edges to
    # submodules are not cycles of the code.
    edges = {n: {d for d in deps if not d.startswith(n + ".")}
             for n, deps in graph.items()}
    state = {}

    def visit(node, stack):
        state[node] = "open"
        for dep in edges.get(node, ()):
            if state.get(dep) == "open":
                cycle = stack[stack.index(dep):] + [dep]
                raise AssertionError(f"import cycle: {' -> '.join(cycle)}")
            if dep not in state:
                visit(dep, stack + [dep])
        state[node] = "done"

    for node in edges:
        if node not in state:
            visit(node, [node])


def test_package_root_holds_only_the_core_modules():
    root = {p.stem for p in PACKAGE.glob("*.py")}
    assert root == {"__init__", "_protocol", "_version", "metrics", "cli"}
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()} == {
        "clean", "datasets", "denoisers", "nn", "online", "studies", "utils",
        "viz", "weights"}


def test_nn_imports_neither_mne_nor_scikit_learn():
    for path in (PACKAGE / "nn").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [])
            assert not any(n.split(".")[0] in ("mne", "sklearn") for n in names), \
                f"{path.name} imports {names}"
