# License: BSD-3-Clause
"""Figures (matplotlib is imported inside the functions)."""

from ._benchmark import plot_benchmark
from ._decomposition import plot_decomposition_stages
from ._filters import plot_filter_responses
from ._gate import plot_gate_topomap
from ._overlay import plot_overlay
from ._psd import plot_psd_comparison

__all__ = [
    "plot_benchmark",
    "plot_decomposition_stages",
    "plot_filter_responses",
    "plot_gate_topomap",
    "plot_overlay",
    "plot_psd_comparison",
]
