# License: BSD-3-Clause
"""The estimator contract shared by every deep denoiser."""

import copy
from pathlib import Path

import mne
import numpy as np
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .._protocol import MODEL_N_TIMES, MODEL_SFREQ, TRAIN_SNR_RANGE
from ..utils import _check_option, _check_positive
from . import _input

# Denoiser classes by name, for read_denoiser.
_REGISTRY = {}

_FIT_PARAMS_DOC = """
        clean_bank : SegmentBank | array, shape (n, 512) | None
            Clean EEG segments (256 Hz, 2 s) to train on instead of the
            clean windows of ``X``. Only used when ``max_epochs > 0``.
        artifact_bank : SegmentBank | list of SegmentBank | None
            Artifact segments to mix in. By default the reference channels of
            ``X`` (EOG/EMG) are used, else the package's simulators."""


def _verbosity(verbose):
    """Map an MNE-style verbose to skorch's 0/1."""
    if verbose is None or verbose is False:
        return 0
    if isinstance(verbose, str):
        return int(verbose.upper() in ("INFO", "DEBUG"))
    return int(bool(verbose))


def _info_to_dict(info):
    if info is None:
        return None
    return {
        "ch_names": list(info.ch_names),
        "ch_types": list(info.get_channel_types()),
        "sfreq": float(info["sfreq"]),
    }


def _info_from_dict(d):
    if d is None:
        return None
    return mne.create_info(d["ch_names"], d["sfreq"], d["ch_types"], verbose=False)


class BaseDenoiser(TransformerMixin, BaseEstimator):
    """Base class of the deep denoisers; not meant to be used directly.

    Subclasses set ``_module`` (the torch module class), ``_pretrained``
    (the name of the shipped weights), ``_default_module_params`` and may
    override the reference hooks ``_fit_references`` / ``_references``.
    """

    _module = None
    _pretrained = None
    _default_module_params = {}
    _criterion = None
    _model_sfreq = MODEL_SFREQ
    _n_window = MODEL_N_TIMES
    # Whether the module's forward takes a noise reference (noise=...,
    # use_reference=...) in addition to the noisy windows.
    _reference_input = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _REGISTRY[cls.__name__] = cls

    # ------------------------------------------------------------------
    # Parameter checks (at fit, as scikit-learn does)
    def _check_params(self):
        if self.sfreq is not None:
            _check_positive(self.sfreq, "sfreq")
        _check_positive(self.max_epochs, "max_epochs", integer=True, allow_zero=True)
        _check_positive(self.lr, "lr")
        _check_positive(self.batch_size, "batch_size", integer=True)
        if not 0 <= self.overlap < 1:
            raise ValueError(f"overlap must be in [0, 1), got {self.overlap!r}.")
        if self.module_params is not None and not isinstance(self.module_params, dict):
            raise TypeError(
                "module_params must be a dict of the network's arguments (e.g. "
                f"{self._default_module_params}) or None, got "
                f"{type(self.module_params).__name__}."
            )
        if self.weights is not None and self.weights != "pretrained":
            if not Path(self.weights).is_file():
                raise ValueError(
                    "weights must be 'pretrained', None (random initial weights) "
                    f"or the path of a weights file, got {self.weights!r} which is "
                    "not a file."
                )
        if self.weights is None and self.max_epochs == 0:
            raise ValueError(
                "weights=None with max_epochs=0 would denoise with untrained "
                "random weights. Set max_epochs > 0 to train, or use "
                "weights='pretrained'."
            )
        if self.device not in (None, "auto"):
            _check_option("device", str(self.device).split(":")[0],
                          ("auto", "cpu", "cuda", "mps"))

    # ------------------------------------------------------------------
    # Input handling: the one place where X becomes a 3-D float64 array.
    def _check_input(self, X, *, reset):
        fitted_info = getattr(self, "info_", None) if not reset else None
        if _input.is_mne_input(X):
            data, info, kind = _input.check_mne_data(X)
            if reset:
                self.n_features_in_ = data.shape[1]
            return data, info, kind
        if not issparse(X) and (isinstance(X, str | bytes | dict) or not (
            hasattr(X, "__array__") or isinstance(X, list | tuple)
        )):
            raise TypeError(
                "X must be an mne.Epochs, a list of Epochs, an mne.io.Raw, an "
                f"mne.Evoked or an array, got {type(X).__name__}."
            )
        data = validate_data(
            self, X, reset=reset, allow_nd=True, dtype=np.float64, order="C",
            ensure_all_finite=False, copy=True,
        )
        _input._finite(data)
        if data.ndim == 3 and 0 in data.shape:
            raise ValueError(f"X is empty, got shape {data.shape}.")
        return _input.check_array_info(
            data, info=self.info, sfreq=self.sfreq, fitted_info=fitted_info
        )

    def _check_channels(self, info):
        """Transform-time channels must be those seen at fit."""
        names = list(info.ch_names)
        if names == self.ch_names_:
            return
        missing = [c for c in self.ch_names_ if c not in names]
        extra = [c for c in names if c not in self.ch_names_]
        if not missing and not extra:
            raise ValueError(
                "The channels are those seen at fit but in another order. "
                f"Reorder them with inst.reorder_channels({self.ch_names_[:3]}...)."
            )
        raise ValueError(
            f"The channels differ from those seen at fit: missing {missing[:5]}, "
            f"extra {extra[:5]}. Pick the fitted channels "
            "(inst.pick(denoiser.ch_names_)) or refit on these channels."
        )

    # ------------------------------------------------------------------
    # Fitting
    def _resolved_module_params(self, bundle):
        params = dict(self._default_module_params)
        if bundle is not None:
            params.update(bundle["module_params"])
        params.update(copy.deepcopy(self.module_params or {}))
        return params

    def _weights_bundle(self):
        from ..weights import load_pretrained

        name = self._pretrained if self.weights == "pretrained" else self.weights
        return load_pretrained(name)

    def _build_net(self, module_params):
        from ..nn._skorch import make_regressor

        net = make_regressor(
            self._module,
            {"n_times": self._n_window, **module_params},
            criterion=self._criterion,
            lr=self.lr,
            batch_size=self.batch_size,
            max_epochs=self.max_epochs,
            device=self.device_,
            verbose=_verbosity(self.verbose),
        )
        net.initialize()
        return net

    def _load_state(self, module, state_dict, source):
        try:
            module.load_state_dict(state_dict)
        except RuntimeError as err:
            raise ValueError(
                f"module_params={self.module_params} do not match the weights in "
                f"{source}. Pass weights=None (and max_epochs > 0) to train a "
                "network of another size from scratch."
            ) from err

    def fit(self, X, y=None, *, clean_bank=None, artifact_bank=None):
        """Fit the denoiser: load weights, estimate references, train if asked.

        Parameters
        ----------
        X : Epochs | list of Epochs | Raw | array, shape (n_epochs, n_channels, n_times) | array, shape (n_segments, n_times)
            Training data. EEG channels are cleaned; EOG/EMG channels are
            noise references.
        y : None
            Ignored; present for Pipeline compatibility.
        %(fit_params)s

        Returns
        -------
        self : instance
            The fitted denoiser.
        """  # noqa: E501
        from ..nn._skorch import resolve_device, seed_torch

        self._check_params()
        data, info, _ = self._check_input(X, reset=True)
        self.info_ = info
        self.sfreq_ = float(info["sfreq"])
        self.ch_names_ = list(info.ch_names)
        self.clean_idx_, self.ref_idx_ = _input.channel_indices(info)
        if len(self.clean_idx_) == 0:
            raise ValueError(
                "No EEG channel to clean: the info has channel types "
                f"{sorted(set(info.get_channel_types()))}. Set the EEG channels' "
                "type with inst.set_channel_types({...: 'eeg'})."
            )
        self.device_ = resolve_device(self.device)
        seed = np.random.RandomState(self.random_state).randint(2**31 - 1)
        seed_torch(seed)
        self._fit_references(data)
        bundle = self._weights_bundle() if self.weights is not None else None
        self.module_params_ = self._resolved_module_params(bundle)
        if self.max_epochs == 0:
            self.net_ = self._build_net(self.module_params_)
            self._load_state(self.net_.module_, bundle["state_dict"], self.weights)
            return self
        init_state = None
        if bundle is not None:
            # Check the sizes before preparing data, with a message that says
            # what to do.
            probe = self._module(self._n_window, **self.module_params_)
            self._load_state(probe, bundle["state_dict"], self.weights)
            init_state = bundle["state_dict"]
        self.net_ = self._train(data, info, clean_bank, artifact_bank, seed,
                                init_state)
        return self

    def _train(self, data, info, clean_bank, artifact_bank, seed, init_state):
        from ..nn._skorch import train_network

        clean, artifacts = self._training_pools(
            data, info, clean_bank, artifact_bank, seed)
        # Hold out a tenth of the clean windows for skorch's validation loss.
        order = np.random.default_rng(seed).permutation(len(clean))
        n_valid = len(clean) // 10 if len(clean) >= 20 else 0
        return train_network(
            self._module, {"n_times": self._n_window, **self.module_params_},
            self._criterion, clean[order[n_valid:]], artifacts,
            clean_valid=clean[order[:n_valid]], snr_range=TRAIN_SNR_RANGE,
            lr=self.lr, batch_size=self.batch_size, max_epochs=self.max_epochs,
            device=self.device_, seed=seed, init_state=init_state,
            verbose=_verbosity(self.verbose), with_reference=self._reference_input,
        )

    def _training_pools(self, data, info, clean_bank, artifact_bank, seed):
        """Clean and artifact training segments from what fit was given."""
        from ..datasets import (
            artifact_bank_from_mne,
            clean_bank_from_mne,
            simulate_emg,
            simulate_eog,
        )
        from ..datasets._banks import _ARTIFACT_BANDS

        window_s = self._n_window / self._model_sfreq
        if clean_bank is None:
            # The fold's own EEG, minus its most contaminated windows.
            eeg = mne.EpochsArray(data[:, self.clean_idx_],
                                  mne.pick_info(info, self.clean_idx_),
                                  verbose=False)
            # No high-pass: epochs are usually too short for a 1 Hz FIR, and
            # the windows are demeaned anyway.
            clean = clean_bank_from_mne(eeg, sfreq=self._model_sfreq,
                                        window_s=window_s, l_freq=None).data
        else:
            clean = self._bank_array(clean_bank, "clean_bank")
        if artifact_bank is not None:
            banks = artifact_bank if isinstance(artifact_bank, list | tuple) \
                else [artifact_bank]
            artifacts = [self._bank_array(b, "artifact_bank") for b in banks]
        elif len(self.ref_idx_):
            artifacts = []
            types = info.get_channel_types()
            for kind in sorted({types[i] for i in self.ref_idx_}):
                idx = [i for i in self.ref_idx_ if types[i] == kind]
                # Band-limit with a zero-phase IIR: an FIR as sharp as the
                # banks' would be longer than typical epochs.
                l_freq, h_freq = _ARTIFACT_BANDS[kind]
                nyq = info["sfreq"] / 2.0
                h_freq = h_freq if h_freq < 0.9 * nyq else None
                ref = mne.filter.filter_data(data[:, idx], info["sfreq"], l_freq,
                                             h_freq, method="iir", verbose=False)
                epochs = mne.EpochsArray(ref, mne.pick_info(info, idx),
                                         verbose=False)
                artifacts.append(artifact_bank_from_mne(
                    epochs, kind=kind, sfreq=self._model_sfreq, window_s=window_s,
                    l_freq=0, h_freq=self._model_sfreq).data)
        else:
            n = max(64, len(clean) // 2)
            artifacts = [
                simulate_eog(n, self._n_window, self._model_sfreq, random_state=seed),
                simulate_emg(n, self._n_window, self._model_sfreq,
                             random_state=seed + 1),
            ]
        if len(clean) == 0:
            raise ValueError(
                "No clean training window could be cut from X (epochs shorter "
                f"than {window_s:g} s at the model rate?). Pass clean_bank=... "
                "or train on longer epochs."
            )
        return clean, artifacts

    def _bank_array(self, bank, name):
        data = getattr(bank, "data", bank)
        data = np.asarray(data, dtype=np.float64)
        rate = getattr(bank, "sfreq", self._model_sfreq)
        if data.ndim != 2 or data.shape[1] != self._n_window or not np.isclose(
            rate, self._model_sfreq
        ):
            raise ValueError(
                f"{name} must hold segments of {self._n_window} samples at "
                f"{self._model_sfreq} Hz (shape (n, {self._n_window})), got shape "
                f"{data.shape} at {rate} Hz. Build it with "
                "mne_denoise.datasets.segment_signals(..., sfreq_out=256.0)."
            )
        return data - data.mean(axis=1, keepdims=True)

    # Reference hooks (no references by default).
    def _fit_references(self, data):
        pass

    def _references(self, data):
        return None

    # ------------------------------------------------------------------
    # Denoising
    def _run_network(self, z, noise_z):
        from ..nn._skorch import predict_windows

        return predict_windows(self.net_.module_, z, noise_z,
                               batch_size=1024, device=self.device_)

    def _denoise(self, data, sfreq):
        out = data.copy()
        refs = self._references(data)
        n_ep, _, n_times = data.shape
        n_clean = len(self.clean_idx_)
        signals = data[:, self.clean_idx_].reshape(-1, n_times)
        if refs is not None:
            refs = refs.reshape(-1, n_times)
        cleaned = np.empty_like(signals)
        # Chunks keep the memory of long recordings bounded.
        chunk = 2048
        for start in range(0, len(signals), chunk):
            sl = slice(start, start + chunk)
            cleaned[sl] = _input.denoise_signals(
                signals[sl], sfreq, model_sfreq=self._model_sfreq,
                n_window=self._n_window, overlap=self.overlap,
                run=self._run_network,
                references=None if refs is None else refs[sl],
            )
        out[:, self.clean_idx_] = cleaned.reshape(n_ep, n_clean, n_times)
        return out

    def transform(self, X):
        """Remove artifacts from the EEG channels of ``X``.

        Parameters
        ----------
        X : Epochs | list of Epochs | array, shape (n_epochs, n_channels, n_times) | array, shape (n_segments, n_times)
            Data with the channels seen at ``fit``.

        Returns
        -------
        X_new : Epochs | array
            Epochs in, new Epochs out (info, events, metadata and annotations
            kept, data in volts); an array in, an array of the same shape out;
            a list of Epochs (scikit-learn's indexing of Epochs) in, a 3-D
            array out. Reference and other non-EEG channels pass unchanged.
        """  # noqa: E501
        check_is_fitted(self, "net_")
        data, info, kind = self._check_input(X, reset=False)
        if kind not in ("array2d",) and (
            kind != "array3d" or self.info is not None
        ):
            self._check_channels(info)
        out = self._denoise(data, float(info["sfreq"]))
        return self._wrap(out, X, kind)

    def apply(self, inst):
        """Clean an MNE object and return a new one of the same kind.

        Parameters
        ----------
        inst : Raw | Epochs | Evoked
            Data with the channels seen at ``fit``. Raw data are cleaned in
            overlapping windows with overlap-add, whatever their length.

        Returns
        -------
        inst_clean : Raw | Epochs | Evoked
            A cleaned copy; ``inst`` itself is not modified.
        """
        if not isinstance(inst, mne.io.BaseRaw | mne.BaseEpochs | mne.Evoked):
            raise TypeError(
                "apply takes an mne.io.Raw, mne.Epochs or mne.Evoked, got "
                f"{type(inst).__name__}; use transform for arrays."
            )
        check_is_fitted(
            self, "net_",
            msg="This %(name)s is not fitted yet. Call fit(inst) first: with "
            "max_epochs=0 it only loads the pretrained weights.",
        )
        return self.transform(inst)

    @staticmethod
    def _wrap(out, X, kind):
        if kind == "array2d":
            return out[:, 0, :]
        if kind in ("array3d", "epochs_list"):
            return out
        if kind == "evoked":
            new = X.copy()
            new.data = out[0]
            return new
        new = X.copy().load_data()
        new._data[:] = out[0] if kind == "raw" else out
        return new

    # ------------------------------------------------------------------
    # Persistence
    def save(self, fname, *, overwrite=False):
        """Save the fitted denoiser (parameters, fitted state and weights).

        Parameters
        ----------
        fname : path-like
            Output file, conventionally ``*.pt``.
        overwrite : bool
            Overwrite an existing file.

        See Also
        --------
        mne_denoise.read_denoiser
        """
        import torch

        check_is_fitted(self, "net_")
        fname = Path(fname)
        if fname.exists() and not overwrite:
            raise FileExistsError(f"{fname} exists; pass overwrite=True to replace it.")
        params = self.get_params(deep=False)
        params["info"] = _info_to_dict(params["info"])
        state = {
            "format": 1,
            "class": type(self).__name__,
            "params": params,
            "module_params": self.module_params_,
            "state_dict": self.net_.module_.state_dict(),
            "fitted": self._fitted_state(),
        }
        torch.save(state, fname)

    def _fitted_state(self):
        import torch

        state = {
            "info_": _info_to_dict(self.info_),
            "n_features_in_": int(self.n_features_in_),
        }
        coef = getattr(self, "reference_coef_", None)
        state["reference_coef_"] = None if coef is None else torch.from_numpy(coef)
        return state

    def _restore(self, bundle, device):
        from ..nn._skorch import resolve_device

        fitted = bundle["fitted"]
        self.info_ = _info_from_dict(fitted["info_"])
        self.sfreq_ = float(self.info_["sfreq"])
        self.ch_names_ = list(self.info_.ch_names)
        self.clean_idx_, self.ref_idx_ = _input.channel_indices(self.info_)
        self.n_features_in_ = fitted["n_features_in_"]
        coef = fitted.get("reference_coef_")
        self.reference_coef_ = None if coef is None else coef.numpy()
        self.device_ = resolve_device(device)
        self.module_params_ = dict(bundle["module_params"])
        self.net_ = self._build_net(self.module_params_)
        self._load_state(self.net_.module_, bundle["state_dict"], "the saved file")
        return self


BaseDenoiser.fit.__doc__ = BaseDenoiser.fit.__doc__.replace(
    "%(fit_params)s", _FIT_PARAMS_DOC.strip("\n").lstrip()
)


def read_denoiser(fname, *, device="auto"):
    """Read a denoiser written by ``denoiser.save(fname)``.

    Parameters
    ----------
    fname : path-like
        The file.
    device : str
        Where to put the network (``"auto"``: CUDA when present, else CPU).

    Returns
    -------
    denoiser : instance of a denoiser class
        Fitted, ready to ``transform``.
    """
    import torch

    bundle = torch.load(fname, map_location="cpu", weights_only=True)
    name = bundle.get("class")
    if name not in _REGISTRY:
        raise ValueError(
            f"{fname} holds a {name!r}, which is not a denoiser of this version "
            f"of mne_denoise (known: {sorted(_REGISTRY)})."
        )
    params = dict(bundle["params"])
    params["info"] = _info_from_dict(params["info"])
    est = _REGISTRY[name](**params)
    return est._restore(bundle, device)
