"""The serving model: loaded from the registry, following its ``current`` pointer.

Requests read ``holder.model`` once and keep that object, so a swap never affects a request in
flight. The pointer is polled at most once per ``poll_seconds``; a version that fails
verification is logged and the previous model keeps serving. Every failure to load is a
:class:`RegistryError` (a 409 from the reload endpoint), whatever went wrong underneath.
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
        """The current model, reloading first if the registry pointer moved (never raises)."""
        now = time.monotonic()
        if now - self._checked >= self.poll_seconds:
            self._checked = now
            if self.registry.pointer_stamp() != self._stamp:
                # A failure is logged in reload(); the previous model keeps serving.
                with contextlib.suppress(RegistryError):
                    self.reload()
        return self._model

    def reload(self) -> str | None:
        """Load the registry's current version; keep the old model if that fails.

        The serving version is re-verified too: if its files on disk no longer match what was
        loaded, the reload is refused (versions are immutable) and the loaded model stays.
        """
        with self._lock:
            stamp = self.registry.pointer_stamp()
            try:
                return self._reload(stamp)
            except RegistryError as exc:
                self._failed(stamp, exc)
                raise
            except Exception as exc:  # noqa: BLE001 - unforeseen: refuse the model, never a 500
                error = RegistryError(f"could not load the current model ({type(exc).__name__})")
                log.exception("unexpected error while loading the current model")
                self._failed(stamp, error)
                raise error from None

    def _reload(self, stamp: float) -> str | None:
        version = self.registry.current_version()
        if version is None:
            self._stamp = stamp
            return None
        serving = self._model
        if serving is not None and serving.meta.get("version") == version:
            on_disk = self.registry.verify(version)["sha256"]
            loaded = serving.meta.get("sha256")
            if on_disk != loaded:
                raise RegistryError(
                    f"model {version} changed on disk since it was loaded (sha256 "
                    f"{str(loaded)[:12]}… → {on_disk[:12]}…); a version never changes, "
                    "register the new model under a new version"
                )
            self._stamp, self.last_error = stamp, None
            return version
        model = self.registry.load(version)
        self._model, self._stamp, self.last_error = model, stamp, None
        log.info("serving model %s", version)
        return version

    def _failed(self, stamp: float, exc: RegistryError) -> None:
        self.last_error = str(exc)
        self._stamp = stamp  # do not retry a broken version on every request
        log.error("model reload failed, keeping %s: %s", self.version, exc)

    @property
    def version(self) -> str | None:
        return self._model.meta.get("version") if self._model else None
