"""Answer checks for the weekly exercises, one module per week (``from neuro4ml.check import w1``).

Every check prints a short verdict and returns a :class:`~neuro4ml.check.core.CheckResult`;
none raises at the learner. :mod:`neuro4ml.check.core` holds the shared machinery and the one
policy every week follows (what "one number" is, "not answered yet", "returned nothing", the
closeness test, the table of known mistakes, library shortcuts refused, time limits). Each
week's cases, seeds, references and mistaken variants come from :mod:`neuro4ml.tasks`; a week
module here keeps only its cases' verdicts and its mistakes' messages.
"""

from .core import CheckResult, Feedback, Mistake, Status

__all__ = ["CheckResult", "Feedback", "Mistake", "Status"]
