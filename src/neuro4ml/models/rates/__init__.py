r"""Rate models: Wilson-Cowan excitatory-inhibitory populations and Hopfield memory.

A *rate model* replaces the spikes of a population by its mean activity, a number
between 0 and 1 here (the fraction of its maximum rate). Two models are in this
package, each in its own module and re-exported here:
:mod:`~neuro4ml.models.rates.wilson_cowan` and :mod:`~neuro4ml.models.rates.hopfield`.

**Wilson-Cowan.** One excitatory (E) and one inhibitory (I) population,

.. math::
    \tau_E \frac{dE}{dt} &= -E + f_E(w_{EE} E - w_{EI} I + h_E), \\
    \tau_I \frac{dI}{dt} &= -I + f_I(w_{IE} E - w_{II} I + h_I),

with all weights :math:`\ge 0` (the signs are written out) and a logistic
nonlinearity :math:`f(u) = 1 / (1 + e^{-a (u - \theta)})` (Wilson & Cowan 1972,
Biophys J 12:1-24; this is their equation without the refractory factor
:math:`(1 - rE)`, the form used by Dayan & Abbott 2001, *Theoretical Neuroscience*,
section 7.5). Its phase plane is analysed exactly: nullclines in closed form
(:func:`wilson_cowan_nullclines`), fixed points by bracketing and Brent's method
along the E-nullcline (:func:`wilson_cowan_fixed_points`), stability from the
analytic Jacobian (:func:`wilson_cowan_jacobian`). Simulations
(:func:`wilson_cowan`) use the classical fourth-order Runge-Kutta method, since the
equations have no closed-form solution. Time is in ms.

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
