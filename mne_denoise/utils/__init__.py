# License: BSD-3-Clause
"""Helpers shared by the whole package.

Argument checks, docstring fragments, the windowing maths, the bookkeeping
of scikit-learn's estimator checks and the process's memory setting for
low-latency inference.
"""

from ._memory import reuse_freed_memory
from ._testing import expected_failed_checks

__all__ = ["expected_failed_checks", "reuse_freed_memory"]
