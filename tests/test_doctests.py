"""The examples in the docstrings of every module run and give what they show."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import unionie

MODULES = sorted(m.name for m in pkgutil.walk_packages(unionie.__path__, "unionie."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    try:
        module = importlib.import_module(name)
    except ImportError as e:  # a module of an optional dependency that is not installed
        pytest.skip(f"{name}: {e}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed (see above)"
