"""Sphinx configuration of the mne_denoise documentation.

Build with ``doc/build.sh`` (fast mode, tutorials not executed) or
``MNE_DENOISE_DOC_FAST=0 doc/build.sh`` (tutorials executed). Warnings are
errors (``-W --keep-going``).
"""

import os
import sys
import warnings
from datetime import date
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# The package from this checkout, and the local extensions.
sys.path.insert(0, str(_HERE.parent))
sys.path.insert(0, str(_HERE / "sphinxext"))

import mne_denoise  # noqa: E402

project = "mne_denoise"
author = "mne_denoise developers"
copyright = f"{date.today().year}, {author}"
release = version = mne_denoise.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "md_pages",
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "build.sh",
    "auto_tutorials/*.ipynb",
    "auto_tutorials/*.py",
    "auto_tutorials/*.zip",
    "auto_tutorials/*.md5",
    "auto_tutorials/*.codeobj.json",
    "generated/*.inc",
]
root_doc = "index"
default_role = "py:obj"
nitpicky = False

# -- autodoc / autosummary / numpydoc ----------------------------------------
autosummary_generate = True
autodoc_typehints = "none"  # the numpydoc Parameters sections say it all
# numpydoc lists members through the autosummary templates, not by itself.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_attributes_as_param_list = True

# No inventories are fetched: the build must work offline (CI, clusters), so
# references to MNE, scikit-learn or torch objects render as literals.
intersphinx_mapping = {}

# -- HTML ---------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"mne_denoise {version}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 7,
    "secondary_sidebar_items": ["page-toc", "sg_download_links",
                                "sg_launcher_links"],
}
html_static_path = ["_static"]
html_css_files = ["style.css"]
html_show_sourcelink = False

# -- sphinx-gallery -------------------------------------------------------------
# Tutorials run during the build. MNE_DENOISE_DOC_FAST=1 (doc/build.sh's
# default, and CI's) builds the pages without executing them.
_fast = os.environ.get("MNE_DENOISE_DOC_FAST", "0") == "1"
os.environ.setdefault("MPLBACKEND", "Agg")
sphinx_gallery_conf = {
    "examples_dirs": ["../tutorials"],
    "gallery_dirs": ["auto_tutorials"],
    "filename_pattern": r"/\d\d_",
    "plot_gallery": "False" if _fast else "True",
    "download_all_examples": False,
    "within_subsection_order": "FileNameSortKey",
    "remove_config_comments": True,
    "show_memory": False,
    "min_reported_time": 5,
    # A tutorial that raises fails the build, after the others have run.
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
    "doc_module": ("mne_denoise",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"mne_denoise": None},
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    # Only what the tutorials print is shown (no reprs of trailing
    # expressions such as fitted estimators or figures).
    "capture_repr": (),
}

# Third-party noise that says nothing about our docs.
warnings.filterwarnings("ignore", category=UserWarning,
                        message="Matplotlib is currently using agg")
warnings.filterwarnings("ignore", category=FutureWarning, module="sklearn")

# -- Public names being wired in by the lead -----------------------------------

# -- Every public name is in the API reference ----------------------------------
def _check_api_complete(app):
    """Warn (an error under -W) about public names missing from api.rst."""
    import importlib
    import re

    from sphinx.util import logging

    text = (Path(app.srcdir) / "api.rst").read_text()
    listed = set()
    module = "mne_denoise"
    for line in text.splitlines():
        m = re.match(r"\.\. currentmodule:: (\S+)", line)
        if m:
            module = m.group(1)
        elif re.match(r"^   [A-Za-z_][\w.]*$", line):
            listed.add(f"{module}.{line.strip()}")
    missing = []
    for modname in ("mne_denoise", "mne_denoise.datasets", "mne_denoise.metrics",
                    "mne_denoise.viz", "mne_denoise.nn", "mne_denoise.nn.zoo",
                    "mne_denoise.studies.benchmark", "mne_denoise.studies.methods",
                    "mne_denoise.studies.decoding", "mne_denoise.studies.train"):
        mod = importlib.import_module(modname)
        for name in getattr(mod, "__all__", []):
            if name.startswith("__") or name.isupper():
                continue  # __version__, constants such as MODULES
            if f"{modname}.{name}" not in listed:
                missing.append(f"{modname}.{name}")
    if missing:
        logging.getLogger("mne_denoise.doc").warning(
            "Public names missing from doc/api.rst: %s. Add them to an "
            "autosummary list there.", ", ".join(missing))


def setup(app):
    """Local hooks of this configuration."""
    app.connect("builder-inited", _check_api_complete)
