"""Provides the app's key hold: keys typed behind one that moves the focus wait until it has moved, then go there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input

if TYPE_CHECKING:
    from tui.app import PapernotesApp

HOLD_LIMIT = 1.0
"""Seconds keys wait at most behind a key that moves the focus (then they go where the focus is)."""
SETTLE_ROUNDS = 20
"""Rounds of "every widget has read what it was sent" at most before held keys go on."""
STEP_KEYS = {"n", "p", "1", "2", "3", "4"}
"""Printable keys that, where letters are commands, open another note."""
LIBRARY_KEYS = {"slash", "h"}
"""Printable keys that, where letters are commands, go to the library's filter (Find, Home): a word typed behind
them filters the library (its `a` would ask, its `r` reindex, read before the focus moved)."""
STEPS = {"n", "p", "left", "right"}
"""Keys that step along the reading order: one read behind another is not held (repeats only show the note they end on)."""


class KeyHold:
    """Keys read behind one that opens a note (Enter in the library, n, p, →, ←, 1-4, Enter on a citation), goes
    from the reader to the library's filter (/, h) or backs out a level (Escape: the ask pane closed, the reader
    left, the filter left for the list) wait until the app has done what that key asked and the focus
    has settled, then are handled in order where it is now.

    The app forwards a key to the widget focused when it reads it, so in a burst (`Enter a what…`) the keys behind
    an Enter that opens a note went to the filter, now hidden; and `a` (read by the app at once) opened the question
    box before the `n` in front of it had stepped to the next note, which then was refused. Only those keys hold:
    other typing is handled as read. The hold always ends: after HOLD_LIMIT seconds at the latest.
    """

    _hold_serial: int = 0
    """Counts holds: a late round or time limit of an earlier hold does nothing."""
    _held_behind: str = ""
    """The key the hold is behind (while holding)."""

    def moves_focus(self: PapernotesApp, event: events.Key) -> bool:
        """Whether `event` (about to be handled where the focus is) opens a note or goes to the library, so the keys
        behind it should wait."""
        if self.screen is not self.main or self._early_actions is not None:
            return False
        focused = self.focused
        if event.key == "escape":  # backs out a level (closes the ask pane, leaves the reader or the filter)
            return True
        if event.key == "enter":
            return (isinstance(focused, Input) and focused.id == "filter") or not isinstance(focused, Input)
        if event.key in ("left", "right"):
            return not isinstance(focused, Input)
        moving = event.key in STEP_KEYS or event.key in LIBRARY_KEYS
        return moving and not self.letters_type() and self.main.showing_reader

    def passes_hold(self: PapernotesApp, event: events.Event) -> bool:
        """Whether `event` is handled at once though keys are held: a step (n, →…) right behind a step, nothing held
        between (in order, and a held-down n still only renders the note it ends on)."""
        return (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and self.type_ahead.holding
            and self._held_behind in STEPS
            and event.key in STEPS
            and not self.type_ahead.pending
            and self.moves_focus(event)
        )

    def hold_keys(self: PapernotesApp, event: events.Key) -> None:
        """Keys read from now on wait until every widget has read what it was sent (the work of `event` is done)."""
        self._held_behind = event.key
        self._hold_serial += 1
        serial = self._hold_serial
        self.type_ahead.hold()
        self.set_timer(HOLD_LIMIT, lambda: self._end_hold(serial))
        self.call_later(self._settle_round, serial, SETTLE_ROUNDS)

    def _settle_round(self: PapernotesApp, serial: int, rounds: int) -> None:
        """One round: a call queued behind what each widget (and the app) has to read; when all have run and
        nothing is left to read, the hold ends after the next refresh (focus and screen settled)."""
        if serial != self._hold_serial or not self.type_ahead.holding:
            return
        pumps = [self, *self.screen.walk_children(with_self=True)]
        if rounds <= 0 or not any(pump._message_queue.qsize() for pump in pumps) and rounds < SETTLE_ROUNDS:
            self.call_after_refresh(self._end_hold, serial)
            return
        waiting = [0]

        def done() -> None:
            waiting[0] -= 1
            if waiting[0] == 0:
                self.call_later(self._settle_round, serial, rounds - 1)

        for pump in pumps:
            if pump.call_later(done):
                waiting[0] += 1
        if not waiting[0]:
            self.call_after_refresh(self._end_hold, serial)

    async def _end_hold(self: PapernotesApp, serial: int) -> None:
        """The hold `serial` ends (if still on): the keys held go, in order, where the focus is now."""
        if serial == self._hold_serial and self.type_ahead.holding and self._early_actions is None:
            await self.replay_held()

    async def replay_held(self: PapernotesApp) -> None:
        """The keys held, handled now, in order (the ones behind a key that holds again wait once more)."""
        pending = self.type_ahead.release()
        for index, event in enumerate(pending):
            if self.type_ahead.holding:  # that key moves the focus: the rest wait for it, ahead of any read later
                self.type_ahead.pending[:0] = pending[index:]
                return
            await self.on_event(event)
