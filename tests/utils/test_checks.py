import numpy as np
import pytest

from mne_denoise.utils._checks import (
    _check_fraction,
    _check_int,
    _check_option,
    _check_positive,
    _validate_type,
)


def test_check_option_names_parameter_allowed_and_received():
    assert _check_option("mode", "a", ("a", "b")) == "a"
    with pytest.raises(ValueError, match=r"'mode' parameter\. Allowed values are "
                       r"'a', 'b', but got 'c' instead"):
        _check_option("mode", "c", ("a", "b"))


def test_validate_type():
    assert _validate_type(3, int, "n", "an int") == 3
    with pytest.raises(TypeError, match=r"n must be an int, got str \('3'\)"):
        _validate_type("3", int, "n", "an int")


def test_check_int():
    assert _check_int(np.int64(4), "n", minimum=1) == 4
    assert type(_check_int(np.int64(4), "n")) is int
    with pytest.raises(TypeError, match="n must be an integer, got bool"):
        _check_int(True, "n")
    with pytest.raises(TypeError, match="n must be an integer, got float"):
        _check_int(2.0, "n")
    with pytest.raises(ValueError, match="n must be >= 1, got 0"):
        _check_int(0, "n", minimum=1)


def test_check_positive():
    assert _check_positive(2, "x") == 2.0 and type(_check_positive(2, "x")) is float
    assert _check_positive(0, "x", allow_zero=True) == 0.0
    assert _check_positive(3, "k", integer=True) == 3
    with pytest.raises(ValueError, match="x must be > 0, got 0"):
        _check_positive(0, "x")
    with pytest.raises(ValueError, match="x must be >= 0, got -1"):
        _check_positive(-1, "x", allow_zero=True)
    with pytest.raises(ValueError, match="x must be a finite number, got inf"):
        _check_positive(np.inf, "x")
    with pytest.raises(TypeError, match="k must be an integer, got float"):
        _check_positive(2.5, "k", integer=True)
    with pytest.raises(TypeError, match="x must be a number, got str"):
        _check_positive("2", "x")


def test_check_fraction():
    assert _check_fraction(0.5, "p") == 0.5
    assert _check_fraction(1, "p", closed_right=True) == 1.0
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\), got 1"):
        _check_fraction(1, "p")
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\], got -0.1"):
        _check_fraction(-0.1, "p", closed_right=True)
    with pytest.raises(TypeError, match="p must be a number"):
        _check_fraction(None, "p")
