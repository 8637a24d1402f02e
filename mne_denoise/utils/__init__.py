# License: BSD-3-Clause
"""Helpers shared by the whole package.

Argument checks, docstring fragments, the windowing maths and the bookkeeping
of scikit-learn's estimator checks.
"""

from ._testing import expected_failed_checks

__all__ = ["expected_failed_checks"]
