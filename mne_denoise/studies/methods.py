# License: BSD-3-Clause
"""The methods the benchmark compares, in one format.

A method is ``f(noisy, reference, kind, sfreq) -> denoised`` on standardized
``(n, n_times)`` segments, ready for
:func:`mne_denoise.studies.benchmark.evaluate`: the classical baselines and
the shipped weights (:func:`default_methods`), and the model zoo and our
networks trained under one time budget (:func:`zoo_methods`).
"""

import time

import mne
import numpy as np

import mne_denoise

from .._protocol import MODEL_N_TIMES, MODEL_SFREQ
from ..denoisers import (
    BandpassDenoiser,
    FreqDomainDenoiser,
    LowRankUnfoldedDenoiser,
    RegressionDenoiser,
    UNetDenoiser,
)
from ..nn.callbacks import TimeBudget
from ..weights import list_pretrained, load_pretrained

__all__ = ["default_methods", "zoo_methods"]

#: The zoo's estimators, in the order of the benchmark table.
ZOO_DENOISERS = (
    "FCNNDenoiser",
    "SimpleCNNDenoiser",
    "ComplexCNNDenoiser",
    "LSTMDenoiser",
    "BGAttentionDenoiser",
    "UNetDenoiser",
    "BiLSTMAEDenoiser",
    "DVAEDenoiser",
)


def _as_segments(bank, name):
    data = np.asarray(getattr(bank, "data", bank), dtype=np.float64)
    if data.ndim != 2 or data.shape[1] != MODEL_N_TIMES:
        raise ValueError(
            f"{name} must hold segments of {MODEL_N_TIMES} samples at "
            f"{MODEL_SFREQ:g} Hz, shape (n, {MODEL_N_TIMES}); got {data.shape}."
        )
    return data


def _check_rate(sfreq, name):
    if not np.isclose(sfreq, MODEL_SFREQ):
        raise ValueError(
            f"{name} was trained on {MODEL_SFREQ:g}-Hz segments; the benchmark "
            f"passed sfreq={sfreq}."
        )


#: Our own deep denoisers, trained from random weights in the benchmark
#: under the zoo's budget (their shipped weights are benchmarked as well).
OWN_DENOISERS = ("FreqDomainDenoiser", "LowRankUnfoldedDenoiser")

#: The EEGdenoiseNet benchmark networks (Zhang et al., J. Neural Eng. 2021).
EEGDENOISENET_DENOISERS = ZOO_DENOISERS[:4]


#: Zoo estimators whose weights ship: their shipped weights have the
#: "(blind)" row, so the budget-trained run is "(blind, budget)" as ours.
SHIPPED_ZOO = tuple(n for n in ZOO_DENOISERS if getattr(mne_denoise, n)._pretrained)


def budget_name(name):
    """Row name of an estimator trained under the benchmark's budget."""
    if name in OWN_DENOISERS + SHIPPED_ZOO:
        return f"{name} (blind, budget)"
    return f"{name} (blind)"


def zoo_methods(clean_train, artifacts_train, *, budget_s=120.0, device="auto",
                models=ZOO_DENOISERS, batch_size=None, lr=None, adversarial=False,
                random_state=0, verbose=False):
    """Train each network of the zoo under the same time budget.

    Every model is trained from random weights through its estimator's own
    ``fit`` (semi-synthetic pairs at the protocol's training SNRs, drawn
    afresh from the given pools, a tenth of the clean segments held out for
    the validation loss) until ``budget_s`` seconds of training have passed
    (:class:`mne_denoise.nn.zoo.TimeBudget`, checked after every batch),
    with each network's default size. The final weights are used.

    Parameters
    ----------
    clean_train : SegmentBank | array, shape (n_clean, 512)
        Clean EEG training segments at 256 Hz (e.g. the training part of
        ``make_benchmark_pools()["eeg"]``).
    artifacts_train : dict of str -> SegmentBank | array, shape (n, 512)
        Artifact training segments per kind (``{"eog": ..., "emg": ...}``);
        every model learns all kinds at once.
    budget_s : float
        Training seconds per model, the same for all.
    device : str
        ``'auto'``, ``'cpu'`` or ``'cuda'``.
    models : sequence of str
        Names of the estimator classes to train (default: the eight of
        :data:`ZOO_DENOISERS`; :data:`OWN_DENOISERS` may be added, and are
        then trained from random weights too, in blind mode).
    batch_size, lr : int, float | None
        Training settings; None keeps each estimator's default (1e-3 and 32
        for the zoo, those of the shipped weights for ours).
    adversarial : bool | float
        Train every zoo model adversarially (see
        :class:`mne_denoise.denoisers.DeepDenoiser`).
    random_state : int
        Seed of every model's training.
    verbose : bool
        Print each model's training time.

    Returns
    -------
    methods : dict of str -> callable
        ``"<Estimator> (blind)"`` (``"(blind, budget)"`` for ours) ->
        ``f(noisy, reference, kind, sfreq) -> denoised`` (the reference is
        not used: the networks run blind). Each function carries the fitted
        estimator as ``f.denoiser``, its parameter count as ``f.n_params``
        and ``f.training``, a dict with ``seconds``, ``epochs`` (started),
        ``batches`` and ``segments`` seen, ``budget_s`` and ``device``.
    """
    clean = _as_segments(clean_train, "clean_train")
    arts = [_as_segments(a, f"artifacts_train[{k!r}]")
            for k, a in artifacts_train.items()]
    methods = {}
    for name in models:
        cls = getattr(mne_denoise, name)
        params = {"sfreq": MODEL_SFREQ, "weights": None, "max_epochs": 10**6,
                  "device": device, "random_state": random_state,
                  "callbacks": [("budget", TimeBudget(budget_s))]}
        if "noise_estimate" in cls._get_param_names():
            params["noise_estimate"] = "blind"  # the same input as the zoo's
        if adversarial and name not in OWN_DENOISERS:
            params["adversarial"] = adversarial
        params.update({k: v for k, v in (("batch_size", batch_size), ("lr", lr))
                       if v is not None})
        den = cls(**params)
        t0 = time.perf_counter()
        den.fit(clean[:1], clean_bank=clean, artifact_bank=arts)
        seconds = time.perf_counter() - t0
        history = den.net_.history
        batches = [len(row["batches"]) for row in history]
        n_segments = sum(b.get("train_batch_size", 0) for row in history
                         for b in row["batches"])
        training = {"seconds": seconds, "epochs": len(history),
                    "batches": sum(batches), "segments": n_segments,
                    "budget_s": float(budget_s), "device": den.device_}
        if verbose:
            print(f"{name}: {seconds:.0f} s, {sum(batches)} batches, "
                  f"{n_segments} segments ({len(history)} epoch(s) started) on "
                  f"{den.device_}", flush=True)
        methods[budget_name(name)] = _deep_method(den, name, training)
    return methods


def _deep_method(den, name, training):
    def method(noisy, reference, kind, sfreq):
        _check_rate(sfreq, name)
        return den.transform(noisy)

    method.denoiser = den
    method.training = training
    method.n_params = sum(p.numel() for p in den.net_.module_.parameters())
    return method


def _reference_type(kind):
    """Channel type of the reference channel (see the module docstring)."""
    return "eog" if kind == "mixed" else kind


def _two_channel_epochs(noisy, reference, kind, sfreq):
    info = mne.create_info(["EEG", kind.upper()], sfreq,
                           ["eeg", _reference_type(kind)])
    epochs = mne.EpochsArray(np.stack([noisy, reference], axis=1), info,
                             verbose=False)
    # The segments are already referenced; say so (EOGRegression insists).
    return epochs.set_eeg_reference([], verbose=False)


def default_methods(*, device="auto", weights="pretrained", calibration=None):
    """The methods compared by ``mne-denoise benchmark``.

    Parameters
    ----------
    device : str
        Device of the deep denoisers (``'auto'``, ``'cpu'`` or ``'cuda'``).
    weights : ``'pretrained'`` | path-like | dict
        Weights of the deep denoisers: ``'pretrained'`` (the shipped ones),
        the path of :class:`~mne_denoise.FreqDomainDenoiser`'s, or a dict
        ``{"freq_domain": path, "low_rank_unfolded": path, "unet": path}``
        (a model left out uses its shipped weights; the U-Net row appears
        when its weights ship or are given).
    calibration : tuple | None
        ``(clean, artifacts)``: clean EEG segments ``(n, 512)`` and a list of
        artifact segment arrays from the *training* pools, on which the deep
        denoisers' artifact gate is calibrated in ``fit`` (``clean_bank`` /
        ``artifact_bank``). None calibrates on the segments being denoised
        (completed with simulated EEG), as a user's ``fit(X)`` would.

    Returns
    -------
    methods : dict of str -> callable
        Name -> ``f(noisy, reference, kind, sfreq) -> denoised`` on
        standardized ``(n, n_times)`` segments.
    """
    if not isinstance(weights, dict):
        weights = {} if weights == "pretrained" else {"freq_domain": weights}
    shipped = list_pretrained()
    weights = {"freq_domain": "pretrained", "low_rank_unfolded": "pretrained",
               **({"unet": "pretrained"} if "unet" in shipped else {}),
               **weights}
    banks = {} if calibration is None else {
        "clean_bank": calibration[0], "artifact_bank": list(calibration[1])}
    fitted = {}

    def blind(cls, sfreq, noisy, **params):
        # Fitted once per rate: with max_epochs=0, fit loads the weights and
        # calibrates the gate, and neither depends on the test segments.
        key = (cls.__name__, sfreq)
        if key not in fitted or not banks:
            den = cls(sfreq=sfreq, device=device, **params)
            fitted[key] = den.fit(noisy if not banks else noisy[:1], **banks)
        return fitted[key]

    def identity(noisy, reference, kind, sfreq):
        return noisy

    def bandpass(noisy, reference, kind, sfreq):
        # IIR (4th-order Butterworth, zero phase): a 1 Hz FIR is longer than
        # a 2-s segment.
        return BandpassDenoiser(1.0, 40.0, sfreq=sfreq,
                                method="iir").fit_transform(noisy)

    def eog_regression(noisy, reference, kind, sfreq, domain="time"):
        # MNE's EOGRegression (or the frequency-domain regression), fitted on
        # the test segments' own reference channel.
        epochs = _two_channel_epochs(noisy, reference, kind, sfreq)
        den = RegressionDenoiser(domain=domain).fit(epochs)
        return den.transform(epochs.get_data())[:, 0]

    def freq_regression(noisy, reference, kind, sfreq):
        return eog_regression(noisy, reference, kind, sfreq, domain="frequency")

    def freq_blind(noisy, reference, kind, sfreq):
        return blind(FreqDomainDenoiser, sfreq, noisy, noise_estimate="blind",
                     weights=weights["freq_domain"]).transform(noisy)

    def low_rank_unfolded(noisy, reference, kind, sfreq):
        return blind(LowRankUnfoldedDenoiser, sfreq, noisy,
                     weights=weights["low_rank_unfolded"]).transform(noisy)

    def unet(noisy, reference, kind, sfreq):
        return blind(UNetDenoiser, sfreq, noisy, weights=weights["unet"],
                     max_epochs=0).transform(noisy)

    def freq_reference(noisy, reference, kind, sfreq, regression="time"):
        # The reference's share in the EEG is estimated on the test
        # segments, as EOGRegression's; the gate on the training pools.
        epochs = _two_channel_epochs(noisy, reference, kind, sfreq)
        den = FreqDomainDenoiser(noise_estimate="reference",
                                 reference_regression=regression,
                                 weights=weights["freq_domain"], device=device)
        return den.fit(epochs, **banks).transform(epochs.get_data())[:, 0]

    def freq_reference_spectral(noisy, reference, kind, sfreq):
        return freq_reference(noisy, reference, kind, sfreq,
                              regression="frequency")

    for fun, model in ((freq_blind, "freq_domain"), (freq_reference, "freq_domain"),
                       (freq_reference_spectral, "freq_domain"),
                       (low_rank_unfolded, "low_rank_unfolded"), (unet, "unet")):
        if weights.get(model) == "pretrained":
            _describe_shipped(fun, model)
    methods = {
        "No denoising": identity,
        "Band-pass 1-40 Hz": bandpass,
        "EOGRegression (reference)": eog_regression,
        "Frequency-domain regression (reference)": freq_regression,
        "FreqDomainDenoiser (reference)": freq_reference,
        "FreqDomainDenoiser (reference, frequency regression)":
            freq_reference_spectral,
        "FreqDomainDenoiser (blind)": freq_blind,
        "LowRankUnfoldedDenoiser (blind)": low_rank_unfolded,
    }
    if "unet" in weights:
        methods["UNetDenoiser (blind)"] = unet
    return methods


def _describe_shipped(fun, model):
    """Attach the parameter count and training record of shipped weights."""
    bundle = load_pretrained(model)
    meta = bundle["meta"]
    fun.n_params = sum(v.numel() for v in bundle["state_dict"].values())
    fun.training = {"seconds": meta.get("train_seconds", float("nan")),
                    "epochs": meta.get("epochs_run"),
                    "device": meta.get("device"), "shipped": True,
                    "hardware": meta.get("hardware")}
