import numpy as np
import pytest

from mne_denoise import FreqDomainDenoiser, LowRankUnfoldedDenoiser
from mne_denoise.cli import _build_parser, main
from mne_denoise.datasets import get_shared_data_path
from mne_denoise.studies.train import MODELS
from mne_denoise.weights import list_pretrained, load_pretrained


def test_every_shipped_model_has_a_training_spec():
    # One home for the models: the CLI's choices and the shipped weights
    # both come back to MODELS.
    assert set(list_pretrained()) <= set(MODELS)
    sub = _build_parser()._subparsers._group_actions[0].choices["train"]
    model_arg = next(a for a in sub._actions if a.dest == "model")
    assert list(model_arg.choices) == list(MODELS)
    assert MODELS["freq_domain"].estimator is FreqDomainDenoiser
    assert MODELS["low_rank_unfolded"].estimator is LowRankUnfoldedDenoiser


def test_unknown_model_is_refused():
    from mne_denoise.studies.train import train_model

    with pytest.raises(ValueError, match="Allowed values are 'freq_domain'"):
        train_model("freq_domian")


@pytest.mark.shared_data
def test_train_command_writes_weights_and_card(tmp_path):
    try:
        get_shared_data_path()
    except FileNotFoundError as err:
        pytest.skip(str(err))
    assert main(["train", "freq_domain", "--quick", "--out", str(tmp_path),
                 "--module-params", '{"channels": [2], "hidden": 4}']) == 0
    bundle = load_pretrained(tmp_path / "freq_domain.pt")
    assert bundle["module_params"]["channels"] == [2]
    assert bundle["meta"]["epochs_run"] == 2 and bundle["meta"]["train_seconds"] > 0
    card = (tmp_path / "freq_domain.md").read_text()
    assert "Held-out test figures" in card and "| FreqDomainDenoiser (blind) |" in card
    # The written file is usable as weights.
    X = np.random.default_rng(0).normal(size=(2, 1, 512)) * 1e-5
    den = FreqDomainDenoiser(sfreq=256.0, weights=str(tmp_path / "freq_domain.pt"))
    assert den.fit(X).transform(X).shape == X.shape
