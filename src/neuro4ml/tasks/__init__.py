"""Each week's exercise and competition tasks: data, seeds, cases, reference answers, scorers, pass marks.

One module per week (``tasks.w1`` ... ``tasks.w8``). A task module defines *what* is asked
and how an answer is scored, from the layers below it (models, data, analysis, learning,
hardware); :mod:`neuro4ml.check` compares a learner's answer with it and explains, and
:mod:`neuro4ml.competition` scores submission files with it. It imports neither of those.
"""
