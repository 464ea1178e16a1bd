"""Telling the layers above (the indices) that a dossier's metric inputs changed, without importing them.

A rating or a feedback about a dossier changes its 766 metric 5.4 inputs without a dossier event.
`motcua.metrics` sits above this app, so it registers its listener here at start-up
(`MetricsConfig.ready`) and the feedback services call `dossier_inputs_changed` inside their
transaction: the mark commits, or rolls back, with the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Listener = Callable[[list[int]], None]
_listeners: list[Listener] = []


def on_dossier_inputs_changed(listener: Listener) -> None:
    """Register `listener(dossier_ids)`; registering the same function twice keeps one."""
    if listener not in _listeners:
        _listeners.append(listener)


def dossier_inputs_changed(dossier_ids: Iterable[int | None]) -> None:
    ids = sorted({pk for pk in dossier_ids if pk is not None})
    if ids:
        for listener in _listeners:
            listener(ids)
