"""Building the sync engine on top of the desktop's services (the one place that wires it)."""

from __future__ import annotations

import logging

from app.composition import Services
from app.security.secrets import SecretStore, default_secret_store
from sync.service import SyncService

log = logging.getLogger(__name__)


def build_sync(services: Services, secret_store: SecretStore | None = None) -> SyncService:
    service = SyncService(
        services.db,
        services.clock,
        secret_store or default_secret_store(services.data_dir),
        services.audit,
        services.device.ulb_code,
    )
    _register_reference_handlers(service)
    return service


def _register_reference_handlers(service: SyncService) -> None:
    """Tariffs, users and settings (sync/apply_reference.py, written beside this engine)."""
    try:
        from sync import apply_reference
    except ImportError:
        return
    register = getattr(apply_reference, "register", None)
    if callable(register):
        register(service.dispatcher)
        return
    handlers = getattr(apply_reference, "HANDLERS", None)
    if isinstance(handlers, dict):
        for entity, handler in handlers.items():
            service.dispatcher.register(entity, handler)
