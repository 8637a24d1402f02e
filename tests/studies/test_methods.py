import numpy as np
import pytest

from mne_denoise.datasets import simulate_eeg, simulate_emg, simulate_eog
from mne_denoise.studies.benchmark import evaluate
from mne_denoise.studies.methods import (
    OWN_DENOISERS,
    budget_name,
    default_methods,
    zoo_methods,
)


def test_zoo_and_classical_methods_plug_into_evaluate():
    clean = simulate_eeg(60, random_state=0)
    arts = {"eog": simulate_eog(20, random_state=1),
            "emg": simulate_emg(20, random_state=2)}
    methods = zoo_methods(clean, arts, budget_s=0.2,
                          models=("FCNNDenoiser", "DVAEDenoiser"))
    assert set(methods) == {"FCNNDenoiser (blind)", "DVAEDenoiser (blind)"}
    training = methods["FCNNDenoiser (blind)"].training
    assert training["batches"] >= 1 and training["budget_s"] == 0.2
    # The classical baselines of the benchmark, as their estimators run them.
    baselines = default_methods()
    methods.update({k: baselines[k] for k in ("Band-pass 1-40 Hz",
                                             "EOGRegression (reference)")})
    rows = evaluate(methods, clean[:8], arts, snrs=(0.0,))
    assert len(rows) == 2 * len(methods)
    assert all(np.isfinite(r["rrmse_t"]) for r in rows)
    reg = [r for r in rows if r["method"] == "EOGRegression (reference)"]
    assert all(r["rrmse_t"] < 1.0 for r in reg)  # the reference helps
    with pytest.raises(ValueError, match="trained on 256-Hz segments"):
        methods["FCNNDenoiser (blind)"](clean[:2], None, "eog", 128.0)
    with pytest.raises(ValueError, match="clean_train must hold segments of 512"):
        zoo_methods(clean[:, :100], arts)


def test_own_models_train_under_the_same_budget():
    clean = simulate_eeg(40, random_state=0)
    arts = {"eog": simulate_eog(10, random_state=1)}
    methods = zoo_methods(clean, arts, budget_s=0.3, models=OWN_DENOISERS)
    assert set(methods) == {budget_name(n) for n in OWN_DENOISERS}
    assert budget_name("FreqDomainDenoiser") == "FreqDomainDenoiser (blind, budget)"
    fd = methods["FreqDomainDenoiser (blind, budget)"]
    assert fd.denoiser.noise_estimate == "blind" and fd.denoiser.weights is None
    assert fd.n_params == 55_922 and fd.training["segments"] > 0
    out = fd(clean[:3], None, "eog", 256.0)
    assert out.shape == (3, 512) and np.all(np.isfinite(out))
