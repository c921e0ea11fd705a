"""HTTP endpoints of central.payments (mounted by central.api.app.create_app)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
