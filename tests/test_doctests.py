"""The examples in the library's docstrings run and print what they show (``doctest``)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import neuro4ml


def _modules() -> list[str]:
    return sorted(info.name for info in pkgutil.walk_packages(neuro4ml.__path__, "neuro4ml."))


def _examples(name: str) -> list[doctest.DocTest]:
    try:
        module = importlib.import_module(name)
    except ImportError as error:  # an optional dependency (PyTorch, numba) is missing
        pytest.skip(f"{name} needs {error.name}")
    return [test for test in doctest.DocTestFinder().find(module, name) if test.examples]


@pytest.mark.parametrize("name", [name for name in _modules() if not name.endswith("__main__")])
def test_docstring_examples_run(name):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in _examples(name):
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} docstring example(s) of {name} print something else (see above)"


def test_the_examples_are_found():
    # The seven examples of neuro4ml.models (spike trains, neurons, synapses) at least: a finder that
    # finds none would pass every test above.
    found = sum(len(test.examples) for name in _modules() if name.startswith("neuro4ml.models")
                for test in _examples(name))
    assert found >= 7
