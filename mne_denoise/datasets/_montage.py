# License: BSD-3-Clause
"""The template montage under the name the installed MNE knows.

A leaf module (MNE only), so that the readers and the simulators can both use
it without importing each other.
"""

import mne


def _builtin_montage_name(kind):
    """The name of the 10-20 or 10-05 template montage in the installed MNE.

    MNE 1.13 renamed ``standard_1020``/``standard_1005`` to ``colin27_*``
    (the old names warn); older MNE only knows the old names.
    """
    name = f"colin27_{kind}"
    if name not in mne.channels.get_builtin_montages():
        name = f"standard_{kind}"
    return name


def _builtin_montage(kind):
    """Return the 10-20 or 10-05 template montage under its current name."""
    return mne.channels.make_standard_montage(_builtin_montage_name(kind))

