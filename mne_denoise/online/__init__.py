# License: BSD-3-Clause
"""Cleaning streams as they arrive: :class:`OnlineDenoiser` and MNE-LSL."""

from ._lsl import clean_lsl_stream
from ._online import OnlineDenoiser

__all__ = ["OnlineDenoiser", "clean_lsl_stream"]
