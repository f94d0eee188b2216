"""The serving model: loaded from the registry, following its ``current`` pointer.

Requests read ``holder.model`` once and keep that object, so a swap never affects a request in
flight. The pointer is polled at most once per ``poll_seconds``; a version that fails
verification is logged and the previous model keeps serving.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time

from risk_service.registry import Registry, RegistryError
from risk_service.taskmodel import TaskModel

log = logging.getLogger(__name__)


class LiveModel:
    def __init__(self, registry: Registry, poll_seconds: float = 1.0) -> None:
        self.registry = registry
        self.poll_seconds = poll_seconds
        self._model: TaskModel | None = None
        self._stamp = -1.0
        self._checked = 0.0
        self._lock = threading.Lock()
        self.last_error: str | None = None

    @property
    def model(self) -> TaskModel | None:
        """The current model, reloading first if the registry pointer moved."""
        now = time.monotonic()
        if now - self._checked >= self.poll_seconds:
            self._checked = now
            if self.registry.pointer_stamp() != self._stamp:
                # A failure is logged in reload(); the previous model keeps serving.
                with contextlib.suppress(RegistryError, OSError, ValueError, EOFError):
                    self.reload()
        return self._model

    def reload(self) -> str | None:
        """Load the registry's current version; keep the old model if that fails."""
        with self._lock:
            stamp = self.registry.pointer_stamp()
            version = self.registry.current_version()
            if version is None:
                self._stamp = stamp
                return None
            if self._model is not None and self._model.meta.get("version") == version:
                self._stamp = stamp
                return version
            try:
                model = self.registry.load(version)
            except (RegistryError, OSError, ValueError, EOFError) as exc:
                self.last_error = str(exc)
                self._stamp = stamp  # do not retry a broken version on every request
                log.error("model reload failed, keeping %s: %s", self.version, exc)
                raise
            self._model, self._stamp, self.last_error = model, stamp, None
            log.info("serving model %s", version)
            return version

    @property
    def version(self) -> str | None:
        return self._model.meta.get("version") if self._model else None
