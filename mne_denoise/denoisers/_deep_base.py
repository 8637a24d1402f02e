# License: BSD-3-Clause
"""The deep denoisers' base: weights, skorch training inside ``fit``."""

import copy
import difflib
import functools
import hashlib
import inspect
import threading
from pathlib import Path

import mne
import numpy as np

from .._protocol import ARTIFACT_BANDS, NYQUIST_MARGIN, TRAIN_SNR_RANGE, standardize
from ..utils._checks import (
    _check_fraction,
    _check_option,
    _check_positive,
    _validate_type,
)
from ..utils._docs import fill_doc
from ..utils._windowing import Windowing
from ._base import BaseDenoiser
from ._gate import (
    ArtifactDetector,
    benefit_labels,
    calibration_windows,
    detector_features,
    gate,
    most_flagged,
    with_line_noise,
)

#: Clean windows the artifact detector is calibrated on: at least (completed
#: with simulated EEG when the data give fewer) and at most (a seeded subset).
_MIN_CALIBRATION = 64
_MAX_CALIBRATION = 400
#: Simulated clean windows the screen of the data's own calibration windows
#: is calibrated on (see ``BaseDeepDenoiser._screen_own``).
_SCREEN_WINDOWS = 256
#: Whether the data's own calibration windows are screened (a switch for
#: side-by-side measurements; always on in use).
_SCREEN_OWN_WINDOWS = True

#: The network's outputs on the last calibration sets, keyed by digests of
#: the network (class, arguments, weights) and of the windows. Refitting a
#: denoiser whose network did not change on the same calibration set
#: (pretrained weights with ``clean_bank``/``artifact_bank``, as the
#: benchmark refits reference mode for every test set) then skips the
#: network: a pure function's memo, whose outputs depend on nothing else.
#: Least recently used out first; four, so that the screen's simulated set
#: (``_screen_own``) and a calibration set of each of two denoisers fit
#: side by side stay.
_CALIBRATION_MEMO = {}
_MEMO_SIZE = 4
#: The detectors calibrated last, keyed by digests of the network, the
#: clean windows, the artifacts and the seed (everything a calibration
#: reads): such a refit, and the screen, whose simulated EEG is the same for
#: every fit of a network, skip the features and the logistic regression
#: too. A fitted detector is a few kB; eight of them.
_DETECTOR_MEMO = {}
_DETECTOR_MEMO_SIZE = 8
_MEMO_LOCK = threading.Lock()


def _memoized(memo, size, key, compute):
    """``compute()``, or a copy of what it returned for ``key`` last time.

    Least recently used entries leave first once ``memo`` holds ``size``;
    the caller always gets its own deep copy, never the stored object.
    """
    with _MEMO_LOCK:  # fits may run in threads (joblib's threading)
        cached = memo.pop(key, None)
        if cached is not None:
            memo[key] = cached  # now the most recent
    if cached is None:
        cached = compute()
        with _MEMO_LOCK:
            while len(memo) >= size:
                memo.pop(next(iter(memo)))
            memo[key] = cached
    return copy.deepcopy(cached)


def _digest(h, array):
    """Feed an array's dtype, shape and bytes to the hash ``h``."""
    array = np.ascontiguousarray(array)
    h.update(repr((array.dtype.str, array.shape)).encode())
    h.update(array.tobytes())

#: Prefixes of the keyword arguments routed to the network and to its loss,
#: as skorch routes them (``module__depth=3``).
_ROUTED = ("module__", "criterion__")

#: Keyword arguments every deep denoiser takes besides its signature's
#: (stored with the routed ones, so no subclass has to list them).
_EXTRA = ("accelerator",)


def _suggest(name, valid):
    """A ' Did you mean ...?' hint for a misspelt argument, or ''."""
    for prefix in _ROUTED:
        stem = prefix.rstrip("_")
        # module_depth, moduledepth -> module__depth
        if name.startswith(stem) and not name.startswith(prefix):
            rest = name[len(stem):].lstrip("_")
            if rest:
                return f" Did you mean {prefix + rest!r}?"
    close = difflib.get_close_matches(name, valid, n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def _check_signature(cls, given, what, *, exclude=()):
    """TypeError naming the closest argument when ``cls`` does not take ``given``."""
    sig = inspect.signature(cls)
    if any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values()):
        return
    names = [n for n in sig.parameters if n != "self"]
    for key in given:
        if key not in names:
            close = difflib.get_close_matches(key, names, n=1)
            hint = f" Did you mean {what}__{close[0]}?" if close else ""
            raise TypeError(
                f"{cls.__name__} has no argument {key!r}.{hint} Its "
                f"arguments: {[n for n in names if n not in exclude]}."
            )


def _verbosity(verbose):
    """Map an MNE-style verbose to skorch's 0/1."""
    if verbose is None or verbose is False:
        return 0
    if isinstance(verbose, str):
        return int(verbose.upper() in ("INFO", "DEBUG"))
    return int(bool(verbose))


class BaseDeepDenoiser(BaseDenoiser):
    """Base of the denoisers whose work is done by a torch network.

    Subclasses set ``_module`` (the torch module class, may be a property),
    ``_criterion`` (the loss class), ``_pretrained`` (the name of the shipped
    weights, or None), ``_default_module_params`` and
    ``_reference_input`` (whether the module's ``forward`` takes
    ``noise=``/``use_reference=``), and may override ``_fit_references`` /
    ``_references``. Their ``__init__`` stores at least ``info``, ``sfreq``,
    ``weights``, ``max_epochs``, ``lr``, ``batch_size``, ``pairs_per_epoch``,
    ``clean_probability``, ``augment``, ``high_snr_probability``,
    ``callbacks``, ``overlap``, ``device``,
    ``random_state`` and ``verbose``, ends in ``**kwargs`` and passes them to
    ``_store_routed``.

    The ``**kwargs`` are skorch-style ``module__<name>`` and
    ``criterion__<name>`` parameters: returned by ``get_params`` and accepted
    by ``set_params``, so that ``clone`` and grid searches work on them, and
    validated at ``fit`` as scikit-learn validates every parameter. They are
    kept in one private dict rather than as attributes of their own:
    scikit-learn's checks allow ``__init__`` to set only the attributes named
    in its signature (and private ones).
    """

    _module = None
    _criterion = None
    _pretrained = None
    _default_module_params = {}
    _reference_input = False
    #: Keyword arguments taken besides the signature's (read by _io).
    _extra_params = _EXTRA
    _unfitted_hint = ("Call fit(inst) first: with max_epochs=0 it only loads the "
                      "pretrained weights.")

    # ------------------------------------------------------------------
    # module__* / criterion__* parameters
    def _store_routed(self, kwargs):
        # Stored as given; checked at fit (scikit-learn's rule for __init__).
        self._routed_params = dict(kwargs)

    def _routed(self, prefix):
        """The routed arguments of ``prefix`` ('module' or 'criterion')."""
        start = prefix + "__"
        return {k[len(start):]: v for k, v in self._routed_params.items()
                if k.startswith(start)}

    def get_params(self, deep=True):
        """Get parameters, ``module__*`` and ``criterion__*`` included.

        Parameters
        ----------
        deep : bool
            Also return the parameters of contained estimators.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        params = super().get_params(deep=deep)
        params.update(self._routed_params)
        return params

    def set_params(self, **params):
        """Set parameters, ``module__*`` and ``criterion__*`` included.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : instance
            The estimator.
        """
        routed = {k: params.pop(k) for k in list(params)
                  if k.startswith(_ROUTED) or k in self._routed_params
                  or k in _EXTRA}
        for key in routed:
            if key.startswith(_ROUTED) and not key.split("__", 1)[1]:
                raise ValueError(f"Invalid parameter {key!r}: the name is missing.")
        # A new dict: clones share nothing with the original.
        self._routed_params = {**self._routed_params, **routed}
        return super().set_params(**params)

    @property
    def _criterion_fn(self):
        """The loss with its ``criterion__*`` arguments bound."""
        params = self._routed("criterion")
        crit = self._criterion
        return functools.partial(crit, **params) if params else crit

    # ------------------------------------------------------------------
    # Checks (at fit)
    def _check_routed(self):
        valid = list(self._get_param_names())
        for key in self._routed_params:
            if key in _EXTRA:
                continue
            if not (key.startswith(_ROUTED) and key.split("__", 1)[1]):
                raise TypeError(
                    f"{type(self).__name__} got an unexpected keyword argument "
                    f"{key!r}.{_suggest(key, valid)} Network arguments are "
                    "passed as module__<name>=value."
                )

    def _check_module_args(self, cls):
        """Check ``module__*`` and ``criterion__*`` against the signatures."""
        routed = self._routed("module")
        if "n_times" in routed:
            raise ValueError(
                "n_times is set by the denoiser (segments of "
                f"{self._n_window} samples); remove module__n_times."
            )
        sig = inspect.signature(cls)
        if "n_times" not in sig.parameters and not any(
            p.kind == p.VAR_KEYWORD for p in sig.parameters.values()
        ):
            raise TypeError(
                f"{cls.__name__} must take an n_times argument (the segment "
                f"length, {self._n_window}), but its signature is {sig}."
            )
        _check_signature(cls, routed, "module", exclude=("n_times",))
        _check_signature(self._criterion, self._routed("criterion"), "criterion")

    #: Training epochs of ``max_epochs='auto'`` from random weights.
    _auto_epochs = 10

    @property
    def _n_epochs(self):
        """``max_epochs`` resolved: ``'auto'`` trains only random weights."""
        if isinstance(self.max_epochs, str) and self.max_epochs == "auto":
            return 0 if self.weights is not None else self._auto_epochs
        return self.max_epochs

    def _check_params(self):
        self._check_routed()
        super()._check_params()
        if isinstance(self.max_epochs, str):
            if self.max_epochs != "auto":
                raise ValueError(
                    f"max_epochs must be an integer >= 0 or 'auto', got "
                    f"{self.max_epochs!r}.")
        else:
            _check_positive(self.max_epochs, "max_epochs", integer=True,
                            allow_zero=True)
        _check_positive(self.lr, "lr")
        _check_positive(self.batch_size, "batch_size", integer=True)
        if self.pairs_per_epoch is not None:
            _check_positive(self.pairs_per_epoch, "pairs_per_epoch", integer=True)
        _check_fraction(self.clean_probability, "clean_probability",
                        closed_right=True)
        _validate_type(self.augment, (bool, np.bool_), "augment", "a bool")
        _check_fraction(self.high_snr_probability, "high_snr_probability",
                        closed_right=True)
        if self.threshold is not None:
            _check_fraction(self.threshold, "threshold", closed_right=True)
        if self.callbacks is not None and not isinstance(self.callbacks, list):
            raise TypeError(
                "callbacks must be a list of skorch callbacks (or (name, "
                f"callback) pairs) or None, got {type(self.callbacks).__name__}."
            )
        if self.weights is not None and self.weights != "pretrained":
            if not Path(self.weights).is_file():
                raise ValueError(
                    "weights must be 'pretrained', None (random initial weights) "
                    f"or the path of a weights file, got {self.weights!r} which is "
                    "not a file."
                )
        if self.weights is None and self._n_epochs == 0:
            raise ValueError(
                "weights=None with max_epochs=0 would denoise with untrained "
                "random weights. Set max_epochs > 0 to train, or use "
                "weights='pretrained'."
            )
        if self.device not in (None, "auto"):
            _check_option("device", str(self.device).split(":")[0],
                          ("auto", "cpu", "cuda", "mps"))
        self._check_module_args(self._module)
        self._check_accelerator()

    def _check_accelerator(self):
        acc = self._routed_params.get("accelerator")
        if acc is None or acc is False or acc is True or isinstance(acc, dict):
            return
        if not hasattr(acc, "prepare"):
            raise TypeError(
                "accelerator must be None, True (a default "
                "accelerate.Accelerator), a dict of Accelerator arguments or an "
                f"accelerate.Accelerator, got {type(acc).__name__}.")

    def _accelerator(self):
        """The ``accelerate.Accelerator`` that trains the network, or None.

        ``accelerator=True`` or a dict of arguments makes one at fit, so that
        the parameter stays a plain value (cloned, grid-searched and saved
        as one); an ``Accelerator`` instance is used as given.
        """
        acc = self._routed_params.get("accelerator")
        if acc is None or acc is False:
            return None
        if acc is True or isinstance(acc, dict):
            try:
                from accelerate import Accelerator
            except ImportError as err:
                raise ImportError(
                    "accelerator= needs Hugging Face accelerate: pip install "
                    "accelerate (or pip install 'mne-denoise[scale]').") from err
            return Accelerator(**({} if acc is True else acc))
        return acc

    # ------------------------------------------------------------------
    # Fitting
    def _resolved_module_params(self, bundle):
        # A weights file says how its network was built; an argument it
        # leaves out takes the network's own default (that of the file's
        # time), not the estimator's current one: e.g. FreqDomainDenoiser's
        # frame=128 must not reach whole-window weights.
        params = (dict(self._default_module_params) if bundle is None
                  else dict(bundle["module_params"]))
        params.update(copy.deepcopy(self._routed("module")))
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
            criterion=self._criterion_fn,
            lr=self.lr,
            batch_size=self.batch_size,
            max_epochs=self._n_epochs,
            device=self.device_,
            verbose=_verbosity(self.verbose),
        )
        net.initialize()
        return net

    def _load_state(self, module, state_dict, source):
        try:
            module.load_state_dict(state_dict)
        except RuntimeError as err:
            given = ", ".join(f"module__{k}={v!r}"
                              for k, v in self._routed("module").items())
            raise ValueError(
                f"The network's arguments ({given or 'the defaults'}) do not "
                f"match the weights in {source}. Pass weights=None (and "
                "max_epochs > 0) to train a network of another size from scratch."
            ) from err

    @fill_doc
    def fit(self, X, y=None, *, clean_bank=None, artifact_bank=None,
            valid_clean_bank=None, valid_artifact_bank=None):
        """Fit the denoiser: load weights, estimate references, train if asked.

        Parameters
        ----------
        %(X_fit)s
        clean_bank : SegmentBank | array, shape (n, 512) | None
            Clean EEG segments (256 Hz, 2 s) to train on instead of the
            clean windows of ``X``. Only used when ``max_epochs > 0``.
            Epochs of ``X`` between 1 s and 2 s give one window each,
            reflect-padded as ``transform`` pads them (their reference
            channels too); shorter ones cannot be trained on.
        artifact_bank : SegmentBank | list of SegmentBank | None
            Artifact segments to mix in. By default the reference channels of
            ``X`` (EOG/EMG) are used, else the package's simulators.
        valid_clean_bank : SegmentBank | array, shape (n, 512) | None
            Clean EEG segments of a separate validation pool for skorch's
            ``valid_loss`` (what ``KeepBest`` and early stopping watch). By
            default a tenth of the clean training windows is held out (none
            when there are fewer than 20).
        valid_artifact_bank : SegmentBank | list of SegmentBank | None
            Artifact segments of the validation pairs; by default the
            training artifacts.

        Returns
        -------
        self : instance
            The fitted denoiser.
        """
        return super().fit(X, y, clean_bank=clean_bank, artifact_bank=artifact_bank,
                           valid_clean_bank=valid_clean_bank,
                           valid_artifact_bank=valid_artifact_bank)

    def _fit(self, data, info, *, clean_bank=None, artifact_bank=None,
             valid_clean_bank=None, valid_artifact_bank=None):
        from ..nn._skorch import resolve_device, seed_torch

        self.device_ = resolve_device(self.device)
        seed = np.random.RandomState(self.random_state).randint(2**31 - 1)
        seed_torch(seed)
        self._fit_references(data)
        bundle = self._weights_bundle() if self.weights is not None else None
        self.module_params_ = self._resolved_module_params(bundle)
        if self._n_epochs == 0:
            self.net_ = self._build_net(self.module_params_)
            self._load_state(self.net_.module_, bundle["state_dict"], self.weights)
        else:
            init_state = None
            if bundle is not None:
                # Check the sizes before preparing data, with a message that
                # says what to do.
                probe = self._module(self._n_window, **self.module_params_)
                self._load_state(probe, bundle["state_dict"], self.weights)
                init_state = bundle["state_dict"]
            self.net_ = self._train(data, info, clean_bank, artifact_bank, seed,
                                    init_state, valid_clean_bank,
                                    valid_artifact_bank)
        # The calibration draws have a seed of their own: the gate depends on
        # the data and the network only, and a pretrained denoiser
        # (max_epochs=0) stays deterministic with random_state=None.
        self._fit_detector(data, info, clean_bank, artifact_bank, 0)
        return self

    def _fit_detector(self, data, info, clean_bank, artifact_bank, seed):
        """Calibrate the artifact gate on this data and this network."""
        from ..datasets import simulate_eeg, simulate_emg, simulate_eog

        self.detector_ = None
        if self.threshold is None:
            return
        try:
            # The data as the gate sees them in transform (in FreqDomain's
            # reference mode, minus the references' share).
            clean, _ = self._training_pools(self._gated_input(data)[0], info,
                                            clean_bank, None, seed)
        except ValueError:  # epochs too short to cut a window from
            clean = np.empty((0, self._n_window))
        # The artifacts to learn to flag: the bank given to fit, else
        # simulated blinks, saccades and muscle bursts. Never the reference
        # channels' own windows: a quiet EOG/EMG channel records mostly
        # noise, and a detector taught that noise is an artifact flags the
        # EEG's own beta and gamma activity (the decoding study's clean
        # scenario: 16 % of the windows of S002 flagged, against 4 % without
        # the references).
        artifacts = ([] if artifact_bank is None
                     else self._bank_list(artifact_bank, "artifact_bank"))
        if not artifacts:
            artifacts = [simulate_eog(_MIN_CALIBRATION, self._n_window,
                                      self._model_sfreq, random_state=seed),
                         simulate_emg(_MIN_CALIBRATION, self._n_window,
                                      self._model_sfreq, random_state=seed + 1)]
        rng = np.random.default_rng(seed)
        if len(clean) > _MAX_CALIBRATION:
            clean = clean[np.sort(rng.choice(len(clean), _MAX_CALIBRATION,
                                             replace=False))]
        n_data, n_flagged, known = len(clean), 0, None
        if clean_bank is None and n_data and _SCREEN_OWN_WINDOWS:
            # The data's own windows stand for clean EEG, but data can hold
            # artifacts throughout (a tense subject's muscle activity): a
            # gate calibrated on those as clean would never correct them.
            # When most of them look contaminated to a detector that never
            # saw the data, none stands for clean EEG; when a minority
            # does, the data's clean majority defines clean (as before).
            keep, known = self._screen_own(clean, artifacts, seed)
            n_flagged = int((~keep).sum())
            if most_flagged(n_flagged, n_data, type(self).__name__, "windows",
                            "pass clean_bank= (clean windows of your recordings, "
                            "or mne_denoise.datasets.make_clean_bank())",
                            self.verbose):
                clean, known = clean[:0], None
        n_own = len(clean)
        if n_own < _MIN_CALIBRATION:
            # Too few windows of the data's own EEG to learn what clean looks
            # like: complete them with simulated EEG.
            sim = simulate_eeg(_MIN_CALIBRATION - n_own, self._n_window,
                               self._model_sfreq, random_state=seed)
            clean = np.concatenate([clean, sim - sim.mean(axis=1, keepdims=True)])
        # The screen already ran the network on the data's own windows,
        # which lead the calibration set: their outputs are reused.
        self.detector_ = self._calibrated_detector(clean, artifacts, seed,
                                                   known=known)
        self.detector_calibration_ = {"n_clean_windows": int(n_own),
                                      "n_simulated_windows": len(clean) - n_own,
                                      "n_flagged_windows": n_flagged}

    def _screen_own(self, clean, artifacts, seed):
        """Which of the data's own windows may stand for clean EEG.

        A first detector, calibrated as the gate is but on simulated EEG
        (:func:`~mne_denoise.datasets.simulate_eeg`, half of it with line
        noise, :func:`~mne_denoise.denoisers._gate.with_line_noise`) instead
        of the data,
        flags the windows that this network's correction would help: those
        hold an artifact, whatever the rest of the data look like. It flags
        few windows of real clean EEG and most windows of EEG contaminated
        throughout by muscle activity; slow ocular activity it finds less
        often (measured side by side in the user guide, :ref:`gate`).

        Parameters
        ----------
        clean : array, shape (n, n_times)
            The data's own (demeaned) windows.
        artifacts : list of array
            The artifact windows the gate is calibrated with.
        seed : int
            Seed of the simulated EEG and of the pairings.

        Returns
        -------
        keep : array of bool, shape (n,)
            True for the windows the first detector leaves alone.
        known : array, shape (n, n_times)
            The network's output on the standardized windows, which the
            gate's own calibration reuses (they are its first windows).
        """
        from ..datasets import simulate_eeg

        sim = simulate_eeg(_SCREEN_WINDOWS, self._n_window, self._model_sfreq,
                           random_state=seed + 7)
        sim = with_line_noise(sim - sim.mean(axis=1, keepdims=True),
                              self._model_sfreq, random_state=seed + 7)
        screen = self._calibrated_detector(sim, artifacts, seed + 7)
        own = standardize(clean)[0]
        known = self._predict(own, None)
        p = screen.predict_proba(detector_features(own, known,
                                                   self._model_sfreq))
        return p < 0.5, known

    def _calibrated_detector(self, clean, artifacts, seed, known=None):
        """A detector calibrated on ``clean`` windows, with and without artifacts.

        Memoized (``_DETECTOR_MEMO``): the same network, windows, artifacts
        and seed give the same detector, which is then not fitted again.
        ``known``, if given, is the network's output on the first
        ``len(known)`` windows of ``clean``, standardized (what the screen
        computed): the network runs on the rest only. A window's output
        does not depend on the windows batched with it, so the detector is
        the same either way.
        """
        h = self._network_hash()
        h.update(repr(("detector", float(self._model_sfreq), int(seed),
                       len(artifacts))).encode())
        for part in (clean, *artifacts):
            _digest(h, part)

        def calibrate():
            z, target = calibration_windows(clean, artifacts, random_state=seed)
            if known is None or not len(known):
                denoised = self._calibration_output(z)
            else:
                denoised = np.concatenate(
                    [known, self._calibration_output(z[len(known):])])
            # "To correct" means: this network's correction helps that window.
            return ArtifactDetector().fit(
                detector_features(z, denoised, self._model_sfreq),
                benefit_labels(z, denoised, target))

        return _memoized(_DETECTOR_MEMO, _DETECTOR_MEMO_SIZE, h.hexdigest(),
                         calibrate)

    def _network_hash(self):
        """A hash fed with the network: class, arguments, device, weights."""
        h = hashlib.sha1()
        h.update(repr((type(self).__name__, sorted(self.module_params_.items()),
                       str(self.device_))).encode())
        for name, tensor in self.net_.module_.state_dict().items():
            h.update(name.encode())
            h.update(tensor.detach().cpu().numpy().tobytes())
        return h

    def _calibration_output(self, z):
        """``self._predict(z, None)``, memoized (see ``_CALIBRATION_MEMO``)."""
        h = self._network_hash()
        _digest(h, z)
        return _memoized(_CALIBRATION_MEMO, _MEMO_SIZE, h.hexdigest(),
                         lambda: self._predict(z, None))

    def _train(self, data, info, clean_bank, artifact_bank, seed, init_state,
               valid_clean_bank=None, valid_artifact_bank=None):
        clean, artifacts = self._training_pools(
            data, info, clean_bank, artifact_bank, seed)
        if valid_clean_bank is not None:
            train, valid = clean, self._bank_array(valid_clean_bank,
                                                   "valid_clean_bank")
        else:
            # Hold out a tenth of the clean windows for skorch's validation
            # loss.
            order = np.random.default_rng(seed).permutation(len(clean))
            n_valid = len(clean) // 10 if len(clean) >= 20 else 0
            train, valid = clean[order[n_valid:]], clean[order[:n_valid]]
        # The training knobs reach the training function only when set, so
        # that the defaults train exactly as before they existed.
        knobs = {}
        if self.pairs_per_epoch is not None:
            knobs["n_items"] = int(self.pairs_per_epoch)
        if self.clean_probability:
            knobs["clean_probability"] = float(self.clean_probability)
        if self.augment:
            knobs["augment"] = True
        if self.high_snr_probability:
            knobs["high_snr_probability"] = float(self.high_snr_probability)
        if valid_artifact_bank is not None:
            knobs["artifacts_valid"] = self._bank_list(valid_artifact_bank,
                                                       "valid_artifact_bank")
        accelerator = self._accelerator()
        if accelerator is not None:
            knobs["accelerator"] = accelerator
            # Inference runs where the accelerator put the network.
            self.device_ = str(accelerator.device)
        return self._fit_network(
            {"n_times": self._n_window, **self.module_params_},
            train, artifacts, clean_valid=valid, snr_range=TRAIN_SNR_RANGE,
            lr=self.lr, batch_size=self.batch_size, max_epochs=self._n_epochs,
            device=self.device_, seed=seed, init_state=init_state,
            verbose=_verbosity(self.verbose),
            # Deep-copied: a fit never mutates the estimator's parameters.
            callbacks=copy.deepcopy(list(self.callbacks or [])), **knobs,
        )

    def _fit_network(self, module_params, clean, artifacts, **kwargs):
        """Train the network on the pools; subclasses may train differently."""
        from ..nn._skorch import train_network

        return train_network(self._module, module_params, self._criterion_fn, clean,
                             artifacts, with_reference=self._reference_input,
                             **kwargs)

    def _training_pools(self, data, info, clean_bank, artifact_bank, seed):
        """Clean and artifact training segments from what fit was given."""
        from ..datasets import (
            clean_bank_from_mne,
            segment_signals,
            simulate_emg,
            simulate_eog,
        )
        from ..datasets._banks import _min_padded_samples

        window_s = self._n_window / self._model_sfreq
        if clean_bank is None:
            # The fold's own EEG, minus its most contaminated windows and its
            # frontal channels: that selection lives in clean_bank_from_mne
            # only, hence the EpochsArray (segment_signals keeps every window).
            eeg = mne.EpochsArray(data[:, self.clean_idx_],
                                  mne.pick_info(info, self.clean_idx_),
                                  verbose=False)
            # No high-pass: epochs are usually too short for a 1 Hz FIR, and
            # the windows are demeaned anyway. Epochs shorter than a window
            # are reflect-padded to one, as transform pads them, so that the
            # network trains on what it will be given.
            clean = clean_bank_from_mne(eeg, sfreq=self._model_sfreq,
                                        window_s=window_s, l_freq=None,
                                        pad_short=True).data
        else:
            clean = self._bank_array(clean_bank, "clean_bank")
        artifacts = []
        if artifact_bank is not None:
            artifacts = self._bank_list(artifact_bank, "artifact_bank")
        elif len(self.ref_idx_):
            types = info.get_channel_types()
            for kind in sorted({types[i] for i in self.ref_idx_}):
                idx = [i for i in self.ref_idx_ if types[i] == kind]
                # Band-limit with a zero-phase IIR: an FIR as sharp as the
                # banks' would be longer than typical epochs.
                l_freq, h_freq = ARTIFACT_BANDS[kind]
                nyq = info["sfreq"] / 2.0
                h_freq = h_freq if h_freq < NYQUIST_MARGIN * nyq else None
                ref = mne.filter.filter_data(data[:, idx], info["sfreq"], l_freq,
                                             h_freq, method="iir", verbose=False)
                # Each epoch is its own recording, so windows never straddle
                # two epochs; the band-pass above is the only filter.
                artifacts.append(segment_signals(
                    list(ref), info["sfreq"], kind=kind, window_s=window_s,
                    sfreq_out=self._model_sfreq, l_freq=0,
                    h_freq=self._model_sfreq, pad_short=True).data)
        if not artifacts:
            n = max(64, len(clean) // 2)
            artifacts = [
                simulate_eog(n, self._n_window, self._model_sfreq, random_state=seed),
                simulate_emg(n, self._n_window, self._model_sfreq,
                             random_state=seed + 1),
            ]
        if len(clean) == 0:
            min_s = _min_padded_samples(self._n_window) / self._model_sfreq
            raise ValueError(
                "No clean training window could be cut from X: fine-tuning "
                f"needs epochs of at least {min_s:g} s (shorter ones are padded "
                f"to the network's {window_s:g}-s window), got "
                f"{data.shape[-1] / info['sfreq']:g} s. Pass clean_bank=... "
                "or train on longer epochs."
            )
        return clean, artifacts

    def _bank_list(self, banks, name):
        if not isinstance(banks, list | tuple):
            banks = [banks]
        return [self._bank_array(b, name) for b in banks]

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

    def _fit_references(self, data):
        """Learn what ``_references`` needs (nothing by default)."""

    def _predict(self, z, noise_z):
        """The network's output for standardized windows (no gate)."""
        from ..nn._skorch import predict_windows

        return predict_windows(self.net_.module_, z, noise_z, device=self.device_)

    def _gate_windows(self, z, denoised):
        """Artifact probability and gate of each window."""
        detector = getattr(self, "detector_", None)
        if detector is None:
            ones = np.ones(len(z))
            return ones, ones
        p = detector.predict_proba(detector_features(z, denoised,
                                                     self._model_sfreq))
        return p, gate(p, self.threshold)

    def _run_windows(self, z, noise_z):
        denoised = self._predict(z, noise_z)
        _, g = self._gate_windows(z, denoised)
        # Detect, then correct: only the gated share of the correction.
        return z - g[:, np.newaxis] * (z - denoised)

    def _gated_input(self, data):
        """The data and references whose windows the gate sees in transform."""
        return data, self._references(data)

    def _windowed_parts(self):
        if hasattr(self, "_clean_windows"):  # the low-rank path of the mixin
            return super()._windowed_parts()
        # transform cleans the windows of what _gated_input returns (the
        # regressed data in FreqDomainDenoiser's reference mode).
        return self._gated_input, self._run_windows

    def artifact_scores(self, X):
        """The gate's decisions: artifact probability per channel and window.

        Parameters
        ----------
        X : Epochs | list of Epochs | Raw | Evoked | array
            Data with the channels seen at ``fit`` (as for ``transform``).

        Returns
        -------
        scores : dict
            ``probability`` and ``gate``, arrays of shape ``(n_epochs,
            n_eeg_channels, n_windows)``: the detector's artifact probability
            of each 2-s window of each cleaned channel, and the share of the
            network's correction let through (1 everywhere with
            ``threshold=None``); ``times``, the windows' centres in seconds
            from the start of each epoch (of the recording, for Raw);
            ``ch_names``, the cleaned channels.
        """
        data, info, _ = self._transform_input(X)
        sfreq = float(info["sfreq"])
        data, refs = self._gated_input(data)
        n_ep, _, n_times = data.shape
        n_clean = len(self.clean_idx_)
        signals = data[:, self.clean_idx_].reshape(-1, n_times)
        w = Windowing(signals, sfreq, self._model_sfreq, self._n_window,
                      self.overlap)
        n_win = len(w.starts)
        win, z, _, _, noise_z = w.standardized(
            None if refs is None else refs.reshape(-1, n_times))
        p, g = self._gate_windows(z, self._predict(z, noise_z))
        # Flat windows have nothing to correct (transform passes them).
        flat = np.ptp(win, axis=-1) == 0
        p, g = np.where(flat, 0.0, p), np.where(flat, 0.0, g)
        centres = (w.starts + self._n_window / 2.0) / self._model_sfreq
        return {
            "probability": p.reshape(n_ep, n_clean, n_win),
            "gate": g.reshape(n_ep, n_clean, n_win),
            "times": np.minimum(centres, n_times / sfreq),
            "ch_names": [info.ch_names[i] for i in self.clean_idx_],
        }

    def _fitted_state(self):
        state = super()._fitted_state()
        state["module_params"] = dict(self.module_params_)
        state["state_dict"] = self.net_.module_.state_dict()
        detector = getattr(self, "detector_", None)
        state["detector_"] = None if detector is None else detector.to_dict()
        return state

    def _restore(self, fitted, device):
        from ..nn._skorch import resolve_device

        super()._restore(fitted, device)
        self.device_ = resolve_device(device)
        self.module_params_ = dict(fitted["module_params"])
        self.net_ = self._build_net(self.module_params_)
        self._load_state(self.net_.module_, fitted["state_dict"], "the saved file")
        detector = fitted.get("detector_")
        self.detector_ = None if detector is None else ArtifactDetector.from_dict(
            detector)
        return self
