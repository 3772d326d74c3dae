r"""The time loop of :class:`neuro4ml.models.networks.Network`, compiled with numba.

This module is the optional ``backend="numba"`` of :meth:`Network.run`. It imports
numba at the top, so it is imported only when that backend is used (install it with
``pip install "neuro4ml[fast]"``). The numpy loop of :mod:`neuro4ml.models.networks.simulator`
stays the reference: this loop performs the same floating-point operations in the same
order for every neuron, so both give the same numbers bit for bit (the tests compare
them). What it changes is how they are issued: the whole time loop is one compiled
function over flat arrays, instead of about fifty numpy calls per step. Compared with
that loop:

* each group's update, the arrival of spikes and the threshold are a few passes over
  its neurons (the decay with the external drive; each synaptic current; each synaptic
  decay, with the weight arriving on it for a one-variable synapse; the refractory
  clamp with the threshold and reset), each with its constants hoisted so that the
  compiler can vectorise it; a neuron's arithmetic never reads another neuron's state,
  so merging two numpy operations into one pass changes no number;
* every group has finished its threshold before any spike is sent, as in the numpy
  loop, so a spike can never arrive in a slot that is being read in the same step;
* the arriving weights are still summed into the ring buffer first, source after
  source in CSR order, and only then added to the synaptic variables, so sums are
  rounded as in the numpy loop.

Conductance-based synapses with a time course (a ``reversal`` with a non-instantaneous
synapse) are not compiled; ``backend="numba"`` raises an error for them, and
``backend="auto"`` then uses the numpy loop.

The compiled code is cached on disk (numba's ``cache=True``), so only the first run on
a machine pays for the compilation (about 7 s on the 2-core machine of
``benchmarks/README.md``); later processes load it (well under a second). The loop and
the step are one function, so that numba compiles the step once (see ``_steps``).
"""

from __future__ import annotations

import math

import numba
import numpy as np

# Receptor kinds.
_CURRENT = 0  # a synaptic current with state variables (added to V over each step)
_JUMP = 1  # instantaneous, current-based: V jumps by the weight
_JUMP_TO_REVERSAL = 2  # instantaneous, conductance-based: V moves towards the reversal


@numba.njit(cache=True, inline="always")
def _scale(x, factor):  # pragma: no cover
    """``x *= factor``."""
    for j in range(x.size):
        x[j] = x[j] * factor


@numba.njit(cache=True, inline="always")
def _add(x, y):  # pragma: no cover
    """``x += y``."""
    for j in range(x.size):
        x[j] = x[j] + y[j]


@numba.njit(cache=True, inline="always")
def _scale_and_add(x, factor, y):  # pragma: no cover
    """``x *= factor``, then ``x += y`` (two roundings, as numpy does)."""
    for j in range(x.size):
        x[j] = x[j] * factor + y[j]


@numba.njit(cache=True, inline="always")
def _scale_and_add_and_clear(x, factor, y):  # pragma: no cover
    """``x *= factor``, ``x += y``, then ``y = 0``."""
    for j in range(x.size):
        x[j] = x[j] * factor + y[j]
        y[j] = 0.0


@numba.njit(cache=True)
def _grown(x, used, size):  # pragma: no cover
    """A new array of ``size`` elements that starts with ``x[:used]``.

    Copied in a loop: numba compiles the shape check of a slice assignment
    (``y[:used] = x[:used]``) as a function of its own, which took a third of the loop's
    first compilation.
    """
    y = np.empty(size, x.dtype)
    for j in range(used):
        y[j] = x[j]
    return y


@numba.njit(cache=True, inline="always")
def _arrives_with_decay(d, jump, arriving):  # pragma: no cover
    """Whether a synapse's decay and its arriving weight are done in one pass: one
    variable, which jumps by the weight, and weight arriving now."""
    return d == 1 and jump == 1.0 and arriving


@numba.njit(cache=True, inline="always")
def _clear(x):  # pragma: no cover
    """``x = 0``."""
    for j in range(x.size):
        x[j] = 0.0


@numba.njit(cache=True, inline="always")
def _add_and_clear(x, y):  # pragma: no cover
    """``x += y``, then ``y = 0``."""
    for j in range(x.size):
        x[j] = x[j] + y[j]
        y[j] = 0.0


@numba.njit(cache=True, inline="always")
def _add_scaled(x, y, factor):  # pragma: no cover
    """``x += y * factor`` (the product rounded first, as numpy does)."""
    for j in range(x.size):
        x[j] = x[j] + y[j] * factor


@numba.njit(cache=True)
def _threshold(step, a, v, countdown, threshold, reset, refractory, fired, spike_steps, spike_neurons,
               n_spikes):  # pragma: no cover
    """Refractory clamp, threshold and reset of a group whose first neuron is ``a``
    overall; returns the number that fired (their indices in the group are written to
    ``fired``) and the new number of spikes."""
    count = 0
    for j in range(v.size):
        if countdown[j] > 0:  # held at reset, which is below the threshold
            countdown[j] -= 1
            v[j] = reset
        elif v[j] > threshold:
            fired[count] = j
            count += 1
            spike_steps[n_spikes] = step
            spike_neurons[n_spikes] = a + j
            n_spikes += 1
            v[j] = reset
            if refractory > 0:
                countdown[j] = refractory
    return count, n_spikes



@numba.njit(cache=True)
def _send(p, sources, n_sources, step, p_rec, p_ptr, p_ptr_off, p_idx, p_w, p_ent_off, p_delay,
          p_entry_delay, r_n, r_slots, r_buf_off, r_pend_off, buf, pending):  # pragma: no cover
    """Spikes of ``sources[:n_sources]`` (source indices) into projection ``p``'s ring buffer."""
    if n_sources == 0:
        return
    r = p_rec[p]
    n = r_n[r]
    n_slots = r_slots[r]
    base = r_buf_off[r]
    ptr0 = p_ptr_off[p]
    ent0 = p_ent_off[p]
    delay = p_delay[p]
    if delay >= 0:
        slot = (step + delay) % n_slots
        row = base + slot * n
        for k in range(n_sources):
            s = sources[k]
            for e in range(p_ptr[ptr0 + s], p_ptr[ptr0 + s + 1]):
                buf[row + p_idx[ent0 + e]] += p_w[ent0 + e]
        pending[r_pend_off[r] + slot] = True
    else:
        for k in range(n_sources):
            s = sources[k]
            for e in range(p_ptr[ptr0 + s], p_ptr[ptr0 + s + 1]):
                slot = (step + p_entry_delay[ent0 + e]) % n_slots
                buf[base + slot * n + p_idx[ent0 + e]] += p_w[ent0 + e]
                pending[r_pend_off[r] + slot] = True


@numba.njit(cache=True)
def _steps(
    n_steps, v, countdown, external,
    g_off, g_decay, g_has_external, g_threshold, g_reset, g_refractory, g_rec_off, g_rec, g_proj_off, g_proj,
    r_kind, r_d, r_state_off, r_n, r_slots, r_buf_off, r_pend_off, r_coef_off, r_reversal,
    coef, state, buf, pending,
    p_rec, p_ptr, p_ptr_off, p_idx, p_w, p_ent_off, p_delay, p_entry_delay,
    in_proj_off, in_proj, in_bounds, in_bounds_off, in_neurons, in_neurons_off,
    in_fired, record_v_at, record_v, record_s_at, record_s,
):  # pragma: no cover
    """The whole run: per step (update), input spikes, arrivals, threshold, sending.

    Returns the spikes as (steps, global neuron indices). The step is written out inside
    the loop rather than called: numba then types, lowers and optimises it once (a
    separate step function was compiled again into its caller, about a third of the
    first run's compile time).
    """
    fired = np.empty(v.size, np.int64)
    n_fired = np.zeros(g_off.size - 1, np.int64)
    slots = np.zeros(g_rec.size, np.int64)
    arriving = np.zeros(g_rec.size, np.bool_)
    spike_steps = np.empty(1024, np.int64)
    spike_neurons = np.empty(1024, np.int64)
    n_spikes = np.int64(0)  # not the literal 0, which numba would compile the threshold pass for a second time
    for k in range(-1, n_steps):
        step = k + 1
        update = k >= 0
        if update:
            for m in range(record_v_at.size):
                record_v[k, m] = v[record_v_at[m]]
            for m in range(record_s_at.size):
                record_s[k, m] = state[record_s_at[m]]
        if n_spikes + v.size > spike_steps.size:  # room for every neuron to fire now
            spike_steps = _grown(spike_steps, n_spikes, 2 * (n_spikes + v.size))
            spike_neurons = _grown(spike_neurons, n_spikes, 2 * (n_spikes + v.size))
        # 1. input spikes delivered now
        for i in range(in_proj_off.size - 1):
            first = in_bounds[in_bounds_off[i] + step]
            last = in_bounds[in_bounds_off[i] + step + 1]
            if last == first:
                continue
            for e in range(last - first):
                in_fired[e] = in_neurons[in_neurons_off[i] + first + e]
            for q in range(in_proj_off[i], in_proj_off[i + 1]):
                _send(in_proj[q], in_fired, last - first, step, p_rec, p_ptr, p_ptr_off, p_idx, p_w, p_ent_off,
                      p_delay, p_entry_delay, r_n, r_slots, r_buf_off, r_pend_off, buf, pending)
        # 2. every group: update, arrivals, refractory clamp, threshold. Each is one pass
        # over the group's neurons with its constants hoisted (so that the compiler can
        # vectorise it; cutting the group into chunks that stay in the first-level cache
        # was not faster); for every neuron the operations come in the numpy loop's order.
        for g in range(g_off.size - 1):
            a = g_off[g]
            n = g_off[g + 1] - a
            r0 = g_rec_off[g]
            r1 = g_rec_off[g + 1]
            for q in range(r0, r1):
                r = g_rec[q]
                slots[q] = step % r_slots[r]
                arriving[q] = pending[r_pend_off[r] + slots[q]]
            vg = v[a : a + n]
            if update:
                if g_has_external[g]:
                    _scale_and_add(vg, g_decay[g], external[a : a + n])
                else:
                    _scale(vg, g_decay[g])
                for q in range(r0, r1):
                    r = g_rec[q]
                    if r_kind[r] == _CURRENT:
                        d, c, s0 = r_d[r], r_coef_off[r], r_state_off[r]
                        for i in range(d):
                            _add_scaled(vg, state[s0 + i * n : s0 + (i + 1) * n], coef[c + d + i])
                for q in range(r0, r1):  # advance the synaptic variables, last first
                    r = g_rec[q]
                    if r_kind[r] == _CURRENT:
                        d, c, s0 = r_d[r], r_coef_off[r], r_state_off[r]
                        if _arrives_with_decay(d, coef[c + 2], arriving[q]):  # one variable: decay, then arrival
                            o = r_buf_off[r] + slots[q] * n
                            _scale_and_add_and_clear(state[s0 : s0 + n], coef[c], buf[o : o + n])
                            continue
                        for i in range(d - 1, -1, -1):
                            variable = state[s0 + i * n : s0 + (i + 1) * n]
                            _scale(variable, coef[c + i])
                            for jj in range(i):
                                f = coef[c + 3 * d + i * d + jj]
                                if f != 0.0:
                                    _add_scaled(variable, state[s0 + jj * n : s0 + (jj + 1) * n], f)
            for q in range(r0, r1):  # spikes arriving now
                if not arriving[q]:
                    continue
                r = g_rec[q]
                o = r_buf_off[r] + slots[q] * n
                row = buf[o : o + n]
                kind = r_kind[r]
                if kind == _CURRENT:
                    d, c, s0 = r_d[r], r_coef_off[r], r_state_off[r]
                    if update and _arrives_with_decay(d, coef[c + 2 * d], True):
                        continue  # done with the decay above
                    for i in range(d):
                        jump = coef[c + 2 * d + i]
                        if jump == 1.0:
                            _add(state[s0 + i * n : s0 + (i + 1) * n], row)
                        elif jump != 0.0:
                            _add_scaled(state[s0 + i * n : s0 + (i + 1) * n], row, jump)
                    _clear(row)
                elif kind == _JUMP:
                    _add_and_clear(vg, row)
                else:
                    reversal = r_reversal[r]
                    for j in range(n):
                        vg[j] = vg[j] + (-math.expm1(-row[j])) * (reversal - vg[j])
                        row[j] = 0.0
            n_fired[g], n_spikes = _threshold(
                step, a, vg, countdown[a : a + n], g_threshold[g], g_reset[g], g_refractory[g],
                fired[a : a + n], spike_steps, spike_neurons, n_spikes,
            )
            for q in range(r0, r1):
                if arriving[q]:
                    pending[r_pend_off[g_rec[q]] + slots[q]] = False
        # 3. every group sends its spikes
        for g in range(g_off.size - 1):
            a = g_off[g]
            for q in range(g_proj_off[g], g_proj_off[g + 1]):
                _send(g_proj[q], fired[a:], n_fired[g], step, p_rec, p_ptr, p_ptr_off, p_idx, p_w, p_ent_off,
                      p_delay, p_entry_delay, r_n, r_slots, r_buf_off, r_pend_off, buf, pending)
    return spike_steps[:n_spikes], spike_neurons[:n_spikes]


def _offsets(sizes: list[int]) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64)


def _concatenate(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate([np.asarray(a, dtype=dtype).reshape(-1) for a in arrays]) if arrays else np.zeros(0, dtype)


def run(groups: list, inputs: list, n_steps: int, v_watch: list, s_watch: list) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Run the numpy loop's run-time objects (from ``Network._build``) with the compiled loop.

    ``groups`` are the ``_GroupRun`` objects, ``inputs`` the ``_InputRun`` objects with
    projections, ``v_watch`` / ``s_watch`` the recordings of :meth:`Network.run`, whose
    buffers are filled. Returns, per group name, the spikes as ``(steps, neurons)``
    (indices within the group), in the order the numpy loop records them.
    """
    # neurons of all groups, one after the other
    g_off = _offsets([g.spec.n for g in groups])
    v = _concatenate([g.v for g in groups], np.float64)
    countdown = np.zeros(v.size, np.int64)
    external = _concatenate([np.broadcast_to(g.external, (g.spec.n,)) for g in groups], np.float64)
    # receptors, in the order of each group's list
    receptors = [r for g in groups for r in g.receptors]
    index = {id(r): q for q, r in enumerate(receptors)}
    kinds, sizes, coefficients, n_slots = [], [], [], []
    for r in receptors:
        d = len(r.state)
        kinds.append(_CURRENT if not r.instantaneous else _JUMP if r.reversal is None else _JUMP_TO_REVERSAL)
        sizes.append(d)
        n_slots.append(r.n_slots)
        if d:
            feed = np.zeros((d, d))
            for i, row in enumerate(r.feed):
                for j, value in row:
                    feed[i, j] = value
            coefficients.append(np.concatenate([r.decay, r.to_v, r.jump, feed.reshape(-1)]))
        else:
            coefficients.append(np.zeros(0))
    r_n = np.array([r.buffer.shape[1] for r in receptors], dtype=np.int64)
    r_d = np.array(sizes, dtype=np.int64)
    state = _concatenate([s for r in receptors for s in r.state], np.float64)
    buf = _concatenate([r.buffer for r in receptors], np.float64)
    # projections: those of the groups, then those of the inputs
    projections = [p for g in groups for p in g.projections] + [p for i in inputs for p in i.projections]
    p_index = {id(p): k for k, p in enumerate(projections)}
    receptor_of_buffer = {id(r.buffer): index[id(r)] for r in receptors}
    if any(p.delay_steps is None for p in projections):  # one delay per synapse somewhere
        entry_delays = _concatenate(
            [np.zeros(p.indices.size, np.int64) if p.delay_steps is not None else p.entry_delay_steps
             for p in projections], np.int64)
    else:
        entry_delays = np.zeros(1, np.int64)
    record_v_at = np.concatenate(
        [np.zeros(0, np.int64)] + [g_off[groups.index(g)] + rec.indices() for rec, g in v_watch]
    ).astype(np.int64)
    state_off = _offsets([d * n for d, n in zip(sizes, r_n)])
    record_s_at = np.concatenate(
        [np.zeros(0, np.int64)]
        + [state_off[index[id(r)]] + (len(r.state) - 1) * r_n[index[id(r)]] + rec.indices() for rec, r in s_watch]
    ).astype(np.int64)
    record_v = np.empty((n_steps, record_v_at.size))
    record_s = np.empty((n_steps, record_s_at.size))
    max_input_spikes = max([int(np.max(np.diff(i.bounds), initial=0)) for i in inputs], default=0)
    steps, neurons = _steps(
        n_steps, v, countdown, external,
        g_off,
        np.array([g.decay for g in groups], dtype=np.float64),
        np.array([bool(g.has_external) for g in groups], dtype=np.bool_),
        np.array([g.spec.threshold for g in groups], dtype=np.float64),
        np.array([g.spec.reset for g in groups], dtype=np.float64),
        np.array([g.refractory_steps for g in groups], dtype=np.int64),
        _offsets([len(g.receptors) for g in groups]),
        np.array([index[id(r)] for g in groups for r in g.receptors], dtype=np.int64),
        _offsets([len(g.projections) for g in groups]),
        np.array([p_index[id(p)] for g in groups for p in g.projections], dtype=np.int64),
        np.array(kinds, dtype=np.int64), r_d, state_off[:-1], r_n,
        np.array(n_slots, dtype=np.int64),
        _offsets([b * n for b, n in zip(n_slots, r_n)])[:-1],
        _offsets(n_slots)[:-1],
        _offsets([c.size for c in coefficients])[:-1],
        np.array([np.nan if r.reversal is None else r.reversal for r in receptors], dtype=np.float64),
        _concatenate(coefficients, np.float64), state, buf, np.zeros(sum(n_slots), np.bool_),
        np.array([receptor_of_buffer[id(p.buffer)] for p in projections], dtype=np.int64),
        _concatenate([p.indptr for p in projections], np.int64),
        _offsets([p.indptr.size for p in projections])[:-1],
        _concatenate([p.indices for p in projections], np.int64),
        _concatenate([p.weights for p in projections], np.float64),
        _offsets([p.indices.size for p in projections])[:-1],
        np.array([-1 if p.delay_steps is None else p.delay_steps for p in projections], dtype=np.int64),
        entry_delays,
        _offsets([len(i.projections) for i in inputs]),
        np.array([p_index[id(p)] for i in inputs for p in i.projections], dtype=np.int64),
        _concatenate([i.bounds for i in inputs], np.int64),
        _offsets([i.bounds.size for i in inputs])[:-1],
        _concatenate([i.neurons for i in inputs], np.int64),
        _offsets([i.neurons.size for i in inputs])[:-1],
        np.empty(max(max_input_spikes, 1), np.int64),
        record_v_at, record_v, record_s_at, record_s,
    )
    column = 0
    for recording, _ in v_watch:
        width = recording.buffer.shape[1]
        recording.buffer[...] = record_v[:, column : column + width]
        column += width
    column = 0
    for recording, _ in s_watch:
        width = recording.buffer.shape[1]
        recording.buffer[...] = record_s[:, column : column + width]
        column += width
    spikes = {}
    for g, group in enumerate(groups):
        mine = (neurons >= g_off[g]) & (neurons < g_off[g + 1])
        spikes[group.name] = (steps[mine], neurons[mine] - g_off[g])
    return spikes

