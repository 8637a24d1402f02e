# License: BSD-3-Clause
"""Where every study writes its results: one JSON file and one markdown file."""

import json
from pathlib import Path


def save_results(out, name, result, markdown, *, indent=2):
    """Write ``<out>/<name>.json`` and ``<out>/<name>.md``.

    Parameters
    ----------
    out : path-like
        Folder, created if needed.
    name : str
        Stem of both files.
    result : dict | list
        What the JSON file holds; values JSON cannot hold (paths, numpy
        scalars) are written as their ``str``.
    markdown : str
        The report's text (a final newline is added where it lacks one).
    indent : int
        Indentation of the JSON file.

    Returns
    -------
    paths : tuple of Path
        The JSON and the markdown file.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / f"{name}.json", out / f"{name}.md"
    json_path.write_text(json.dumps(result, indent=indent, default=str))
    md_path.write_text(markdown if markdown.endswith("\n") else markdown + "\n")
    return json_path, md_path
