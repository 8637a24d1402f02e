# License: BSD-3-Clause
"""The one entry point for input data.

MNE objects and arrays become checked C-ordered float64 3-D arrays with the
info that describes them.
"""

import re
import warnings

import mne
import numpy as np

#: Channel types cleaned, and channel types used as noise references.
CLEAN_TYPES = ("eeg",)
REFERENCE_TYPES = ("eog", "emg")

#: Channel names that say EOG, EMG or ECG (readers such as read_raw_eeglab
#: type them EEG), and the type each should have.
_NAMED_LIKE = (
    (re.compile(r"(?i)(eog|^[hv]eog|^eye|blink)"), "eog"),
    (re.compile(r"(?i)emg"), "emg"),
    (re.compile(r"(?i)(ecg|ekg)"), "ecg"),
)


def _info_from_sfreq(n_channels, sfreq):
    names = [f"EEG{i:03d}" for i in range(n_channels)]
    return mne.create_info(names, float(sfreq), "eeg", verbose=False)


def is_mne_input(X):
    """Whether ``X`` is an MNE object (or a list of Epochs) rather than an array."""
    if isinstance(X, mne.BaseEpochs | mne.io.BaseRaw | mne.Evoked):
        return True
    return isinstance(X, list | tuple) and len(X) > 0 and all(
        isinstance(x, mne.BaseEpochs) for x in X
    )


def check_mne_data(X):
    """Turn an MNE input into a C-ordered float64 3-D array and its info.

    Parameters
    ----------
    X : Epochs | list of Epochs | Raw | Evoked
        A list of Epochs is what scikit-learn's indexing makes of an Epochs
        object inside cross-validation; their data are concatenated.

    Returns
    -------
    data : array, shape (n_epochs, n_channels, n_times)
        A new array (the caller's data is never modified).
    info : Info
        Channel description of ``data``.
    kind : str
        ``"epochs"``, ``"epochs_list"``, ``"raw"`` or ``"evoked"``.
    """
    if isinstance(X, mne.BaseEpochs):
        return _finite(np.array(X.get_data(), dtype=np.float64, order="C")), \
            X.info, "epochs"
    if isinstance(X, list | tuple) and len(X) and all(
        isinstance(x, mne.BaseEpochs) for x in X
    ):
        names = X[0].ch_names
        for x in X[1:]:
            if x.ch_names != names:
                raise ValueError(
                    "All Epochs in the list must have the same channels; got "
                    f"{names} and {x.ch_names}. Pick the same channels first."
                )
        data = np.concatenate([x.get_data() for x in X], axis=0)
        return _finite(np.ascontiguousarray(data, dtype=np.float64)), \
            X[0].info, "epochs_list"
    if isinstance(X, mne.io.BaseRaw):
        data = X.get_data()[np.newaxis]
        return _finite(np.ascontiguousarray(data, dtype=np.float64)), X.info, "raw"
    if isinstance(X, mne.Evoked):
        data = X.data[np.newaxis]
        return _finite(np.ascontiguousarray(data, dtype=np.float64)), \
            X.info, "evoked"
    raise TypeError(
        "X must be an mne.Epochs, a list of Epochs, an mne.io.Raw, an "
        f"mne.Evoked or a NumPy array, got {type(X).__name__}."
    )


def check_array_info(data, *, info=None, sfreq=None, fitted_info=None):
    """Match a validated array with a channel description.

    ``data`` is the output of scikit-learn's ``validate_data`` (2-D or 3-D,
    finite, float64). Returns ``(data_3d, info, kind)`` as :func:`check_data`.
    """
    if info is not None and not isinstance(info, mne.Info):
        raise TypeError(
            f"info must be an instance of mne.Info or None, got {type(info).__name__}."
        )
    if info is not None and sfreq is not None and not np.isclose(
        info["sfreq"], sfreq
    ):
        raise ValueError(
            f"sfreq={sfreq} contradicts info['sfreq']={info['sfreq']}; pass only "
            "one of them."
        )
    if data.ndim == 2:
        # Rows are independent single-channel segments (EEGdenoiseNet's layout).
        use = info if info is not None else fitted_info
        if use is not None and len(use.ch_names) != 1 and info is not None:
            raise ValueError(
                f"X is 2-D {data.shape}, read as (n_segments, n_times) single-"
                f"channel segments, but info has {len(info.ch_names)} channels. "
                "Pass a 3-D array (n_epochs, n_channels, n_times) instead."
            )
        rate = _rate(info, sfreq, fitted_info if (
            fitted_info is not None and len(fitted_info.ch_names) == 1) else None)
        one = info if info is not None else _info_from_sfreq(1, rate)
        return np.ascontiguousarray(data[:, np.newaxis, :]), one, "array2d"
    if data.ndim != 3:
        raise ValueError(
            "X must be 3-D (n_epochs, n_channels, n_times) or 2-D "
            f"(n_segments, n_times), got an array of shape {data.shape}."
        )
    n_ch = data.shape[1]
    desc = info if info is not None else fitted_info
    if desc is None:
        rate = _rate(None, sfreq, None)
        return data, _info_from_sfreq(n_ch, rate), "array3d"
    n_info = len(desc.ch_names)
    if n_ch != n_info:
        hint = ""
        if data.shape[2] == n_info:
            hint = (" The array looks channels-last; use "
                    "X.transpose(0, 2, 1) to get (n_epochs, n_channels, n_times).")
        raise ValueError(
            f"X has {n_ch} channels (axis 1) but the info has {n_info} "
            f"({desc.ch_names[:4]}...).{hint} Pick the channels of the info, or "
            "pass the info that describes X."
        )
    return data, desc, "array3d"


def _rate(info, sfreq, fitted_info):
    if info is not None:
        return float(info["sfreq"])
    if sfreq is not None:
        return float(sfreq)
    if fitted_info is not None:
        return float(fitted_info["sfreq"])
    raise ValueError(
        "An array input needs its sampling rate: pass info=<mne.Info> (as "
        "mne.decoding.Scaler takes) or sfreq=<Hz> to the denoiser, or give it "
        "mne.Epochs instead of an array."
    )


def _finite(data):
    if not np.all(np.isfinite(data)):
        raise ValueError(
            "X contains NaN or inf values. Interpolate or drop the bad segments "
            "(e.g. epochs.drop_bad() or raw.interpolate_bads()) before denoising."
        )
    return data


def mistyped_channels(info):
    """EEG-typed channels whose names say EOG, EMG or ECG: ``{name: type}``."""
    out = {}
    for name, kind in zip(info.ch_names, info.get_channel_types(), strict=True):
        if kind != "eeg":
            continue
        for pattern, should in _NAMED_LIKE:
            if pattern.search(name):
                out[name] = should
                break
    return out


def warn_mistyped_channels(info):
    """Warn, with the fix, when channels named like EOG/EMG/ECG are typed EEG."""
    mistyped = mistyped_channels(info)
    if not mistyped:
        return
    names = ", ".join(mistyped)
    warnings.warn(
        f"The channels {names} are typed 'eeg' but named like EOG/EMG/ECG "
        "channels (some readers, e.g. mne.io.read_raw_eeglab, type every "
        "channel EEG): they would be cleaned as EEG and not used as noise "
        "references. If they are not EEG, set their types before fitting: "
        f"inst.set_channel_types({mistyped!r}).",
        RuntimeWarning, stacklevel=3)


def channel_indices(info):
    """Indices of the channels to clean and of the noise-reference channels.

    Channels in ``info['bads']`` are neither: they pass through unchanged, as
    MNE's tools leave bad channels alone.
    """
    types = info.get_channel_types()
    bads = set(info["bads"])
    good = [(i, t) for i, (t, ch) in enumerate(zip(types, info.ch_names,
                                                   strict=True)) if ch not in bads]
    clean = np.array([i for i, t in good if t in CLEAN_TYPES], int)
    ref = np.array([i for i, t in good if t in REFERENCE_TYPES], int)
    return clean, ref


def channels_last_hint(shape, n_channels):
    """The channels-last hint for an array of ``shape``, or ''."""
    if n_channels is None or len(shape) != 3 or shape[1] == n_channels:
        return ""
    if shape[2] == n_channels:
        return (" The array looks channels-last; use X.transpose(0, 2, 1) to get "
                "(n_epochs, n_channels, n_times).")
    return ""


def evoked_mismatch_message(missing, fitted_info, name):
    """Why an Evoked lacks fitted channels, and fixes that can work."""
    types = dict(zip(fitted_info.ch_names, fitted_info.get_channel_types(),
                     strict=True))
    refs = [c for c in missing if types.get(c) in REFERENCE_TYPES]
    if refs:
        return (
            f"The Evoked lacks the channels {refs[:5]} that {name} was fitted "
            "with: Epochs.average() keeps only data channels, so the EOG/EMG "
            "references are dropped. Average them too (epochs.average("
            "picks='all')), or clean the epochs and average after "
            "(denoiser.transform(epochs).average()).")
    return (
        f"The Evoked lacks the channels {missing[:5]} that {name} was fitted "
        "with (bad channels are left out by Epochs.average()). Average with "
        "epochs.average(picks='all', exclude=[]), or fit the denoiser on the "
        "channels the Evoked has.")
