"""Answer checks for the weekly exercises, one module per week (``from neuro4ml.check import w1``).

Every check prints a short verdict and returns a :class:`~neuro4ml.check.core.CheckResult`;
none raises at the learner. :mod:`neuro4ml.check.core` holds the shared machinery.
"""

from .core import CheckResult, Feedback

__all__ = ["CheckResult", "Feedback"]
