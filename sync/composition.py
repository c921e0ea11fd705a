"""Building the sync engine on top of the desktop's services (the one place that wires it)."""

from __future__ import annotations

from app.composition import Services
from app.security.secrets import SecretStore, default_secret_store
from sync import apply_reference
from sync.service import SyncService


def build_sync(services: Services, secret_store: SecretStore | None = None) -> SyncService:
    service = SyncService(
        services.db,
        services.clock,
        secret_store or default_secret_store(services.data_dir),
        services.audit,
        services.device.ulb_code,
    )
    # Tariffs, users, settings and online payments (re-allocated against this device's dues).
    apply_reference.register(service.dispatcher, services)
    return service
