# License: BSD-3-Clause
"""The multichannel deep denoiser: all EEG channels of a window at once."""

import numpy as np

#: Two electrodes closer than this (metres) are taken for the same position.
_SAME_POSITION_M = 1e-3


def eeg_positions(info, picks, *, what):
    """The 3-D positions of channels ``picks`` of ``info``, checked.

    Parameters
    ----------
    info : mne.Info
        Channel description.
    picks : array of int
        The channels that need positions.
    what : str
        Who needs them (named in the error messages).

    Returns
    -------
    pos : array, shape (n_picks, 3)
        Positions in metres, head coordinates.

    Raises
    ------
    ValueError
        When a channel has no position (MNE stores zeros or NaN) or two
        channels share one; the message says how to set a montage.
    """
    picks = np.asarray(picks, dtype=int)
    pos = np.array([info["chs"][i]["loc"][:3] for i in picks], dtype=np.float64)
    names = [info.ch_names[i] for i in picks]
    missing = [n for n, p in zip(names, pos, strict=True)
               if not np.all(np.isfinite(p)) or not np.any(p)]
    if missing:
        raise ValueError(
            f"{what} needs the 3-D positions of the EEG channels, and "
            f"{len(missing)} of {len(names)} have none ({missing[:5]}). Set a "
            "montage: inst.set_montage('standard_1020') for 10-20 names "
            "(mne.channels.make_standard_montage lists the others), or "
            "mne.channels.make_dig_montage(ch_pos={name: (x, y, z)}, "
            "coord_frame='head') for your own positions; for arrays, pass "
            "info= with a montage set."
        )
    dist = np.linalg.norm(pos[:, None] - pos[None], axis=-1)
    i, j = np.nonzero(np.triu(dist < _SAME_POSITION_M, k=1))
    if len(i):
        pairs = [(names[a], names[b]) for a, b in zip(i[:5], j[:5], strict=True)]
        raise ValueError(
            f"{what} needs one position per EEG channel, but {len(i)} pair(s) "
            f"of channels share a position: {pairs}. The montage does not "
            "match these channel names; set the right one with "
            "inst.set_montage(...), or drop the duplicated channels."
        )
    return pos
