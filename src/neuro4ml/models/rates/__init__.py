r"""Rate models: Wilson-Cowan excitatory-inhibitory populations and Hopfield memory.

A *rate model* replaces the spikes of a population by its mean activity, a number
between 0 and 1 here (the fraction of its maximum rate). Two models are in this
package, each in its own module and re-exported here:
:mod:`~neuro4ml.models.rates.wilson_cowan` and :mod:`~neuro4ml.models.rates.hopfield`.

**Wilson-Cowan.** One excitatory and one inhibitory population coupled through a
logistic nonlinearity (Wilson & Cowan 1972), with its phase plane analysed exactly
(nullclines, fixed points, stability) and simulated by fourth-order Runge-Kutta; the
equations are in :mod:`~neuro4ml.models.rates.wilson_cowan`.

**Hopfield.** :math:`N` binary units :math:`s_i = \pm 1` with symmetric Hebbian
weights store patterns as fixed points of the dynamics (Hopfield 1982, PNAS
79:2554-2558); see :func:`hopfield_weights` and :func:`hopfield_recall`.
"""

from neuro4ml.models.rates.hopfield import (
    corrupt_pattern,
    hopfield_recall,
    hopfield_recall_overlaps,
    hopfield_weights,
    pattern_overlaps,
    random_patterns,
)
from neuro4ml.models.rates.wilson_cowan import (
    RateRun,
    WilsonCowanParams,
    classify_fixed_point,
    hopf_tau_i_ms,
    is_inhibition_stabilised,
    logistic,
    paradoxical_response,
    rate_equation,
    wilson_cowan,
    wilson_cowan_fixed_points,
    wilson_cowan_jacobian,
    wilson_cowan_nullclines,
    wilson_cowan_rhs,
)

__all__ = [
    "classify_fixed_point",
    "corrupt_pattern",
    "hopf_tau_i_ms",
    "hopfield_recall",
    "hopfield_recall_overlaps",
    "hopfield_weights",
    "is_inhibition_stabilised",
    "logistic",
    "paradoxical_response",
    "pattern_overlaps",
    "random_patterns",
    "rate_equation",
    "RateRun",
    "wilson_cowan",
    "wilson_cowan_fixed_points",
    "wilson_cowan_jacobian",
    "wilson_cowan_nullclines",
    "wilson_cowan_rhs",
    "WilsonCowanParams",
]
