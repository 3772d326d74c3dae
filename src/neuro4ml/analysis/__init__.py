r"""Analysing recordings the way neuroscientists do: what is computed from spikes, populations and graphs.

Submodules: :mod:`~neuro4ml.analysis.glm` (Poisson GLMs), :mod:`~neuro4ml.analysis.information`
(entropy and mutual information), :mod:`~neuro4ml.analysis.encoding` (encoding models),
:mod:`~neuro4ml.analysis.population` (population codes and their decoders),
:mod:`~neuro4ml.analysis.connectome` (connectome graphs), :mod:`~neuro4ml.analysis.logic_circuits`
(lesioning a logic circuit). Layer rule (enforced by import-linter): analysis may import
:mod:`neuro4ml.data`, :mod:`neuro4ml.models` and :mod:`neuro4ml.validation`, and stays free of
PyTorch and matplotlib.

The population analyses of week 6, re-exported here, serve a recorded population and a trained
network's hidden layer alike:

* :func:`tuning_curves` (:mod:`~neuro4ml.analysis.tuning`) -- each unit's mean response per condition, with a t-based or a
  bootstrap confidence interval; :func:`class_selectivity` -- Morcos et al. (2018)'s
  selectivity index computed from them;
* :func:`spike_triggered_average` (:mod:`~neuro4ml.analysis.spike_triggered`) -- the mean input before each unit's spikes;
* :func:`decoding_accuracy`, :func:`shuffled_accuracies` and :func:`decode` (:mod:`~neuro4ml.analysis.decoding`) -- how well a
  cross-validated logistic-regression decoder reads the condition out of the population,
  and the chance level measured by shuffling the labels (a permutation test);
* :func:`pca` and :func:`participation_ratio` (:mod:`~neuro4ml.analysis.representation`) -- how many dimensions the activity spans;
* :func:`condition_means`, :func:`rdm` and :func:`compare_rdms` -- representational
  similarity analysis (Kriegeskorte, Mur & Bandettini 2008);

Recording and lesioning a trained network's hidden units (PyTorch) live one layer up, in
:mod:`neuro4ml.learning.lesions`, so that analysis stays free of PyTorch.

Conventions shared by everything here:

* **Shapes.** Activity is ``(trials, time, units)`` (spikes or rates per time bin) or
  ``(trials, units)`` (one response per trial, e.g. a rate). A function that needs one
  response per trial reduces a 3-d array with :func:`responses`: the mean over time, i.e.
  the rate in spikes per time bin when it holds spikes. Labels or conditions are
  ``(trials,)``.
* **Seeds.** Everything random (bootstrap resamples, cross-validation folds, shuffles) takes
  a ``seed``: the same call gives the same numbers.
* **Decoding.** scikit-learn's ``LogisticRegression`` (L2 penalty, ``C = 1``, multinomial
  for more than two classes) scored on the held-out fold of
  ``StratifiedKFold(n_folds, shuffle=True, random_state=seed)``; accuracies are fractions.
  The decoding functions need scikit-learn (``pip install "neuro4ml[stats]"``). They
  minimise the same objective as scikit-learn's default solver (lbfgs) with its
  ``newton-cg`` solver, on one BLAS thread: the objective is strictly convex, so both
  reach the same decoder up to the solvers' tolerance (a near-tied held-out trial can
  flip; ``solver="lbfgs"`` reproduces a plain ``LogisticRegression()``), but on these
  small problems the Newton steps are 10 to 80 times faster. The penalty is not scale-free: pass rates per time bin (a 3-d array is
  averaged over time for you, values below 1) rather than raw counts of tens of spikes,
  on which any solver needs many more iterations and the fixed ``C`` penalises less.
"""

from neuro4ml.analysis.decoding import Decoding, decode, decoding_accuracy, fold_accuracies, shuffled_accuracies
from neuro4ml.analysis.representation import PCA, compare_rdms, condition_means, participation_ratio, pca, rdm
from neuro4ml.analysis.responses import responses, trial_labels
from neuro4ml.analysis.spike_triggered import spike_triggered_average
from neuro4ml.analysis.tuning import TuningCurves, class_selectivity, tuning_curves

__all__ = [
    "Decoding",
    "PCA",
    "TuningCurves",
    "class_selectivity",
    "compare_rdms",
    "condition_means",
    "decode",
    "decoding_accuracy",
    "fold_accuracies",
    "participation_ratio",
    "pca",
    "rdm",
    "responses",
    "shuffled_accuracies",
    "spike_triggered_average",
    "trial_labels",
    "tuning_curves",
]
