"""A Wyoming protocol server (Home Assistant's voice services) over every available engine.

Each request becomes a job of the job service, so it is queued, scheduled and kept in the
history like any other; see docs/WYOMING.md.
"""

from openspeakers.wyoming.server import WyomingServer

__all__ = ["WyomingServer"]
