# License: BSD-3-Clause
"""Benchmark curves: a metric against SNR, per artifact type and method."""

import json
from pathlib import Path

import numpy as np

__all__ = ["plot_benchmark"]

#: Metric keys of the benchmark rows and their axis labels.
_METRICS = {
    "rrmse_t": "RRMSE_t (lower is better)",
    "rrmse_s": "RRMSE_s, Welch PSD (lower is better)",
    "cc": "correlation with clean EEG (higher is better)",
    "snr_imp": "SNR improvement, dB (higher is better)",
    "seconds": "seconds spent denoising",
}
_ROW_KEYS = ("method", "artifact", "snr")
#: Filled markers, distinct at a glance, one per method before they repeat.
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">", "p", "h", "d",
            "8", "H")


def method_styles(methods):
    """A colour, marker and line style for each method, told apart at a glance.

    Colours come from matplotlib's ``tab20`` (20 distinct colours, paired
    light/dark: the two of a pair get different markers), markers from 15
    filled shapes, so that up to 20 methods differ in colour and every
    method in its (colour, marker) pair; past 20 the line style changes.

    Parameters
    ----------
    methods : list of str
        Method names, in plotting order.

    Returns
    -------
    styles : dict
        ``{method: {"color": rgba, "marker": str, "ls": str}}``.
    """
    import matplotlib as mpl

    cmap = mpl.colormaps["tab20"]
    # Dark shades first (0, 2, ..., 18), then the light ones, so that a
    # few methods get strong, well separated colours.
    order = list(range(0, 20, 2)) + list(range(1, 20, 2))
    return {m: {"color": cmap(order[k % 20]),
                "marker": _MARKERS[k % len(_MARKERS)],
                "ls": ("-", "--", ":")[k // 20 % 3]}
            for k, m in enumerate(methods)}


def _load_rows(rows_or_json):
    """Rows from a list of dicts, a report dict or a JSON file."""
    obj = rows_or_json
    if isinstance(obj, str | Path):
        path = Path(obj)
        if path.is_dir():
            path = path / "benchmark.json"
        if not path.is_file():
            raise FileNotFoundError(
                f"No benchmark JSON at {path}. Run 'mne-denoise benchmark' (it "
                "writes benchmark_results/benchmark.json) or pass the rows of "
                "mne_denoise.studies.benchmark.evaluate.")
        obj = json.loads(path.read_text())
    if isinstance(obj, dict):
        if "rows" not in obj:
            raise ValueError(
                "rows_or_json is a dict without a 'rows' entry; pass the report "
                "of run_benchmark, its JSON file, or the rows of evaluate.")
        obj = obj["rows"]
    rows = list(obj)
    if not rows:
        raise ValueError("rows_or_json holds no row.")
    for r in rows:
        if not isinstance(r, dict) or any(k not in r for k in _ROW_KEYS):
            raise ValueError(
                f"Every row must be a dict with keys {list(_ROW_KEYS)} and the "
                "metrics (as mne_denoise.studies.benchmark.evaluate returns), "
                f"got {r!r}.")
    return rows


def plot_benchmark(rows_or_json, metric="rrmse_t", *, methods=None, show=True):
    """Plot a benchmark metric against SNR, one panel per artifact type.

    Parameters
    ----------
    rows_or_json : list of dict | dict | path-like
        The rows of :func:`mne_denoise.studies.benchmark.evaluate`, the report of
        :func:`mne_denoise.studies.benchmark.run_benchmark`, or the ``benchmark.json``
        it saved (or its folder).
    metric : ``'rrmse_t'`` | ``'rrmse_s'`` | ``'cc'`` | ``'snr_imp'`` | ``'seconds'``
        The metric on the y-axis.
    methods : list of str | None
        Methods to show, in this order; default all, in the rows' order.
    show : bool
        Show the figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One panel per artifact type (EOG, EMG, mixed), one line per method. The SNR
        is EEGdenoiseNet's ``10 * log10(RMS ratio)``
        (:func:`mne_denoise._protocol.snr_db`).

    Examples
    --------
    >>> rows = [{"method": m, "artifact": "eog", "snr": s, "rrmse_t": v}
    ...         for m, v in (("a", 0.5), ("b", 0.7)) for s in (-5.0, 0.0)]
    >>> fig = plot_benchmark(rows, show=False)
    """  # noqa: E501
    import matplotlib.pyplot as plt

    if metric not in _METRICS:
        raise ValueError(
            f"Invalid value for the 'metric' parameter. Allowed values are "
            f"{', '.join(repr(m) for m in _METRICS)}, but got {metric!r} instead.")
    rows = _load_rows(rows_or_json)
    missing = [r for r in rows if metric not in r]
    if missing:
        raise ValueError(f"Rows lack the metric {metric!r}, e.g. {missing[0]!r}.")
    known = list(dict.fromkeys(r["method"] for r in rows))
    if methods is None:
        methods = known
    else:
        methods = [methods] if isinstance(methods, str) else list(methods)
        unknown = [m for m in methods if m not in known]
        if unknown:
            raise ValueError(f"methods {unknown} are not in the rows (methods: "
                             f"{known}).")
    kinds = list(dict.fromkeys(r["artifact"] for r in rows))
    label = _METRICS[metric]

    fig, axes = plt.subplots(1, len(kinds), sharey=True, squeeze=False,
                             figsize=(4.8 * len(kinds) + 1.5, 3.8),
                             layout="constrained")
    styles = method_styles(methods)
    for ax, kind in zip(axes[0], kinds, strict=True):
        for method in methods:
            pts = sorted((r["snr"], r[metric]) for r in rows
                         if r["method"] == method and r["artifact"] == kind)
            if not pts:
                continue
            snr, val = np.array(pts).T
            ax.plot(snr, val, ms=4.5, lw=1.3, label=method, **styles[method])
        ax.set_title(str(kind).upper(), fontsize=11)
        ax.set_xlabel("SNR (dB, 10·log10 RMS ratio)")
        ax.grid(alpha=0.3)
    axes[0, 0].set_ylabel(label)
    if len(methods) > 6:  # many lines: the legend goes beside the panels
        fig.legend(*axes[0, 0].get_legend_handles_labels(), fontsize=7,
                   loc="outside right center")
    else:
        axes[0, -1].legend(fontsize=8, loc="best")
    if show:
        plt.show()
    return fig
