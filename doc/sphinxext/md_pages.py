# License: BSD-3-Clause
"""Pages made at build time from the package's markdown outputs.

MyST is not a dependency, so the few markdown files the documentation shows
(the model cards that ``mne-denoise train`` writes next to the weights, and
the reports of ``mne-denoise benchmark``, ``mne-denoise decoding`` and
``mne-denoise multichannel``) are converted here to reStructuredText. They
use a small subset of markdown (headings, paragraphs, ``-`` lists, pipe
tables, inline code, fenced code); that subset is what
:func:`markdown_to_rst` handles.

The pages are written to ``doc/generated/`` as ``.inc`` files (not documents
of their own) and included by ``model_cards.rst``, ``benchmark.rst``,
``decoding.rst`` and ``multichannel.rst`` (whose results and summary are in
``doc/multichannel_results/``). The benchmark is read from ``benchmark_results/`` at the
repository root, or from the folder named by ``MNE_DENOISE_BENCHMARK_RESULTS``.
"""

import os
import re
from pathlib import Path

#: Underline characters of heading levels 1, 2, ... (after the page title,
#: which uses "=").
_UNDERLINES = "-~^\"'"

_CODE = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")
_EMPH = re.compile(r"(?<![\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _escape(text):
    """Escape what reStructuredText would read as markup in plain text."""
    text = text.replace("\\", "\\\\")
    text = text.replace("*", "\\*").replace("|", "\\|").replace("`", "\\`")
    # "word_" is a hyperlink reference in reStructuredText.
    return re.sub(r"(\w)_(?=\W|$)", r"\1\\_", text)


def _inline(text):
    """Convert inline markdown (code, links, strong, emphasis) of one line."""
    out, pos = [], 0
    tokens = []
    for m in _CODE.finditer(text):
        tokens.append((m.start(), m.end(), f"``{m.group(2).strip()}``"))
    for m in _LINK.finditer(text):
        if not any(s <= m.start() < e for s, e, _ in tokens):
            label = _escape(m.group(1)).replace("<", "\\<")
            tokens.append((m.start(), m.end(), f"`{label} <{m.group(2)}>`__"))
    tokens.sort()
    for start, end, rst in tokens:
        out.append(_plain(text[pos:start]))
        out.append(rst)
        pos = end
    out.append(_plain(text[pos:]))
    return "".join(out)


def _plain(text):
    """Plain text with markdown strong/emphasis kept and the rest escaped."""
    keep = []

    def hold(fmt):
        def sub(m):
            keep.append(fmt.format(_escape(m.group(1))))
            return f"\x00{len(keep) - 1}\x00"
        return sub

    text = _STRONG.sub(hold("**{}**"), text)
    text = _EMPH.sub(hold("*{}*"), text)
    text = _escape(text)
    return re.sub(r"\x00(\d+)\x00", lambda m: keep[int(m.group(1))], text)


def _cells(line):
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [c.strip() for c in line.split("|")]


def _table(lines):
    """A pipe table (header, rule, rows) as a list-table directive."""
    header = _cells(lines[0])
    rows = [_cells(r) for r in lines[2:]]
    n = len(header)
    out = [".. list-table::", "   :header-rows: 1", "   :class: mne-denoise-table",
           ""]
    for row in [header, *rows]:
        row = (row + [""] * n)[:n]
        for k, cell in enumerate(row):
            bullet = "   * - " if k == 0 else "     - "
            out.append(bullet + (_inline(cell) if cell else ""))
    return out + [""]


def markdown_to_rst(text, *, level_offset=0):
    """Convert the markdown subset described in the module docstring.

    Parameters
    ----------
    text : str
        Markdown.
    level_offset : int
        Added to every heading level (``#`` is level 0 before the offset),
        so that a card's title can become a section of the including page.

    Returns
    -------
    rst : str
        reStructuredText.
    """
    lines = text.splitlines()
    out = []
    i = 0
    prev = "blank"  # kind of the previous output block: blank, para, list

    def blank():
        if out and out[-1] != "":
            out.append("")

    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            blank()
            prev = "blank"
            i += 1
            continue
        if line.startswith("```"):
            blank()
            lang = line.strip("`").strip() or "text"
            out += [f".. code-block:: {lang}", ""]
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                out.append("   " + lines[i].rstrip())
                i += 1
            i += 1
            out.append("")
            prev = "blank"
            continue
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)
        if heading:
            blank()
            level = len(heading.group(1)) - 1 + level_offset
            title = _inline(heading.group(2))
            char = _UNDERLINES[min(level, len(_UNDERLINES) - 1)]
            out += [title, char * max(len(title), 3), ""]
            prev = "blank"
            i += 1
            continue
        if line.lstrip().startswith("|") and i + 1 < len(lines) and \
                _TABLE_RULE.match(lines[i + 1].strip()):
            j = i + 2
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                j += 1
            blank()
            out += _table([ln.strip() for ln in lines[i:j]])
            prev = "blank"
            i = j
            continue
        item = re.match(r"^([-*+])\s+(.*)$", line)
        if item:
            if prev == "para":
                blank()
            out.append("- " + _inline(item.group(2)))
            prev = "list"
            i += 1
            continue
        if prev == "list" and line.startswith((" ", "\t")):
            out.append("  " + _inline(line.strip()))
            i += 1
            continue
        if prev == "list":
            blank()
        out.append(_inline(line.strip()))
        prev = "para"
        i += 1
    return "\n".join(out).strip() + "\n"


# ----------------------------------------------------------------------------
# The pages


def _weights_summary(weights_dir, names):
    """A list item per weights file ``names`` (from what the file records)."""
    import torch

    lines = []
    for pt in (Path(weights_dir) / f"{name}.pt" for name in names):
        try:
            bundle = torch.load(pt, map_location="cpu", weights_only=True)
        except Exception as err:  # a corrupt file must not break the docs
            lines += [f"- ``{pt.name}``: could not be read ({_escape(str(err))}).",
                      ""]
            continue
        meta = dict(bundle.get("meta", {}))
        params = bundle.get("module_params", {})
        n_params = sum(int(v.numel()) for v in bundle.get("state_dict", {}).values())
        desc = ", ".join(f"{k}={v!r}" for k, v in params.items())
        lines.append(f"- ``{pt.name}``: {n_params:,} stored values; network "
                     f"arguments ``{desc}``.")
        if meta:
            info = "; ".join(f"{k}: {v}" for k, v in meta.items()
                             if not isinstance(v, dict | list))
            lines.append(f"  Training record: {_escape(info)}.")
    return lines


def model_cards_inc(weights_dir):
    """The model cards in ``weights_dir``, as reStructuredText."""
    weights_dir = Path(weights_dir)
    cards = sorted(weights_dir.glob("*.md"))
    out = []
    for card in cards:
        out.append(f".. _model-card-{card.stem}:")
        out.append("")
        out.append(markdown_to_rst(card.read_text(encoding="utf-8"),
                                   level_offset=0))
    with_card = {c.stem for c in cards}
    missing = sorted(p.stem for p in weights_dir.glob("*.pt")
                     if p.stem not in with_card)
    if missing:
        out += ["Weights without a card", "-" * 22, "",
                "These weights ship without a model card in this build (the card "
                "is written by ``mne-denoise train <name>`` together with the "
                "weights; a file without one was not produced by that command, "
                "e.g. a development placeholder). What the file itself records:",
                ""]
        out += _weights_summary(weights_dir, missing)
        out.append("")
    if not cards and not missing:
        out += ["No weights are shipped in this build.", ""]
    return "\n".join(out)


def benchmark_inc(results_dir, figure_path=None):
    """The latest benchmark report as reStructuredText, or how to make one."""
    results_dir = Path(results_dir)
    md = results_dir / "benchmark.md"
    if not md.is_file():
        return (
            ".. note::\n\n"
            "   No benchmark results were found when this page was built "
            f"(``{results_dir.name}/benchmark.md`` is absent), so no number is "
            "shown. The table is produced by ``mne-denoise benchmark`` (a few "
            "minutes; ``--quick`` for a short run), which prints it and saves "
            "``benchmark_results/benchmark.{md,json}``; rebuild the "
            "documentation afterwards to show it here, or see "
            ":ref:`sphx_glr_auto_tutorials_07_benchmark.py`.\n"
        )
    out = [f"Results read from ``{results_dir.name}/benchmark.md`` "
           "at build time.", ""]
    if figure_path is not None:
        out += [f".. image:: {figure_path}", "   :alt: RRMSE_t per SNR",
                "   :width: 100%", ""]
    out.append(markdown_to_rst(md.read_text(encoding="utf-8"), level_offset=1))
    return "\n".join(out)


def _report_inc(md, what, command, *, level_offset=0):
    """A study's markdown file as reStructuredText, or a note on how to make it."""
    md = Path(md)
    if not md.is_file():
        return (
            ".. note::\n\n"
            f"   No {what} were found when this page was built "
            f"(``{md.parent.name}/{md.name}`` is absent). They are "
            f"produced by ``{command}``.\n"
        )
    return markdown_to_rst(md.read_text(encoding="utf-8"),
                           level_offset=level_offset)


def decoding_inc(results_dir):
    """The recorded decoding study as reStructuredText, or how to make one."""
    return _report_inc(Path(results_dir) / "decoding.md", "decoding results",
                       "mne-denoise decoding", level_offset=1)


#: The multichannel page's parts: generated file -> (markdown in
#: ``doc/multichannel_results/``, heading offset).
MULTICHANNEL_PARTS = {
    "multichannel_targets.inc": ("targets.md", 0),
    "multichannel_tables.inc": ("multichannel.md", 1),
    "multichannel_noref.inc": ("multichannel_no_references.md", 1),
    "multichannel_real.inc": ("real_recordings.md", 0),
    "multichannel_summary.inc": ("summary.md", 0),
}


def multichannel_incs(results_dir):
    """The multichannel page's parts, from ``mne-denoise multichannel``'s files."""
    return {inc: _report_inc(Path(results_dir) / md, "multichannel results",
                             "mne-denoise multichannel", level_offset=offset)
            for inc, (md, offset) in MULTICHANNEL_PARTS.items()}


def write_pages(app):
    """``builder-inited`` hook: write ``generated/*.inc``."""
    doc = Path(app.srcdir)
    gen = doc / "generated"
    gen.mkdir(exist_ok=True)
    root = doc.parent
    weights = root / "mne_denoise" / "weights"
    _write(gen / "model_cards.inc", model_cards_inc(weights))
    # mne-denoise benchmark writes benchmark_results/ in the working
    # directory; the variable points the build at another run's folder, and
    # without either the recorded run in doc/benchmark_results/ is shown.
    default = root / "benchmark_results"
    if not (default / "benchmark.md").is_file():
        default = doc / "benchmark_results"
    results = Path(os.environ.get("MNE_DENOISE_BENCHMARK_RESULTS", default))
    figure = None
    (gen / "benchmark_rrmse_t.png").unlink(missing_ok=True)
    if (results / "benchmark.json").is_file():
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt

            from mne_denoise.viz._benchmark import plot_benchmark

            fig = plot_benchmark(results / "benchmark.json", show=False)
            fig.savefig(gen / "benchmark_rrmse_t.png", dpi=100)
            plt.close(fig)
            figure = "/generated/benchmark_rrmse_t.png"
        except Exception as err:  # the table still shows without the figure
            from sphinx.util import logging

            logging.getLogger(__name__).info(
                f"benchmark figure skipped: {err}")
    _write(gen / "benchmark.inc", benchmark_inc(results, figure))
    _write(gen / "decoding.inc", decoding_inc(doc / "decoding_results"))
    for inc, text in multichannel_incs(doc / "multichannel_results").items():
        _write(gen / inc, text)


def _write(path, text):
    # Rewrite only on change, so that Sphinx does not re-read the pages.
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def setup(app):
    """Register the hook."""
    app.connect("builder-inited", write_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
