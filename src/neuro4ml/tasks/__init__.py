"""Each week's exercise and competition tasks, defined once: what the learner is asked and how it is marked.

One module per week (``w1`` .. ``w8``) holds that week's task definitions: the data
and seeds of each task, the cases a learner's function is run on (including fresh
seeds drawn at every check, and unsorted or unusual inputs), the reference answers,
the competitions' scorers and pass marks, and the library functions that compute the
*known mistaken variants* of an answer (an Euler step instead of the exact update, a
window with the wrong sign, a density instead of a reciprocity, ...), so that a check
can name a mistake by computing it with the library rather than retyping the learner's
code.

:mod:`neuro4ml.check` (the verdicts) and :mod:`neuro4ml.competition` (the leaderboards)
import from here; this package imports only the library below it -- :mod:`neuro4ml.models`,
:mod:`neuro4ml.data`, :mod:`neuro4ml.analysis`, :mod:`neuro4ml.learning` and
:mod:`neuro4ml.hardware` (and :mod:`neuro4ml.validation`) -- and never ``check``,
``competition`` or ``course``.
"""
