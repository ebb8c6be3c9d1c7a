"""Screens of the papernotes app: the main screen, the help table and the build offer."""

from __future__ import annotations
