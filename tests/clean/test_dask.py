"""Scale-out on a local, in-process Dask cluster (no cluster needed in CI)."""

import mne
import numpy as np
import pytest
from mne.decoding import CSP
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

from mne_denoise import FreqDomainDenoiser
from mne_denoise.clean import clean_recordings
from mne_denoise.datasets import simulate_epochs

distributed = pytest.importorskip("distributed")
joblib = pytest.importorskip("joblib")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  processes=False, dashboard_address=None) as cl:
        with distributed.Client(cl) as c:
            yield c


def _grid():
    pipe = make_pipeline(FreqDomainDenoiser(device="cpu"),
                         CSP(n_components=2, log=True),
                         LinearDiscriminantAnalysis())
    return GridSearchCV(pipe, {"freqdomaindenoiser__threshold": [0.2, 0.9, None]},
                        cv=StratifiedKFold(2), n_jobs=-1, error_score="raise")


def test_grid_search_on_dask_finds_the_serial_best_params(client):
    epochs, _ = simulate_epochs(n_epochs=12, n_eeg=4, snr_db=-6.0,
                                random_state=0)
    y = epochs.events[:, 2]
    serial = _grid().set_params(n_jobs=1).fit(epochs, y)
    with joblib.parallel_backend("dask"):
        on_dask = _grid().fit(epochs, y)
    assert on_dask.best_params_ == serial.best_params_
    np.testing.assert_allclose(on_dask.cv_results_["mean_test_score"],
                               serial.cv_results_["mean_test_score"])
    # The thresholds change the gate, hence the data CSP sees: a real search.
    assert len(serial.cv_results_["params"]) == 3


def test_clean_on_a_scheduler_writes_what_a_local_run_writes(client, tmp_path):
    from .conftest import make_raw

    make_raw(0).save(tmp_path / "a_raw.fif", verbose=False)
    kw = dict(device="cpu", report=False, progress=False)
    local = clean_recordings([tmp_path / "a_raw.fif"], out=tmp_path / "local", **kw)
    remote = clean_recordings([tmp_path / "a_raw.fif"], out=tmp_path / "dask",
                              scheduler=client.scheduler.address, **kw)
    assert [p.name for p in remote] == [p.name for p in local]
    np.testing.assert_array_equal(
        mne.io.read_raw_fif(remote[0], verbose=False).get_data(),
        mne.io.read_raw_fif(local[0], verbose=False).get_data())
