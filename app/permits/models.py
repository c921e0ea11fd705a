"""Building-permit applications, their events and documents (stored by content hash)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, ExactDecimal, UtcDateTime


class PermitApplication(Base):
    __tablename__ = "permit_application"
    __table_args__ = (
        UniqueConstraint("ulb_code", "application_no"),
        UniqueConstraint("ulb_code", "permit_no"),
        Index("ix_permit_application_status", "status", "state_since"),
        CheckConstraint(
            "status IN ('DRAFT', 'SUBMITTED', 'SCRUTINY', 'DOC_VERIFICATION', 'SITE_INSPECTION', 'DECISION',"
            " 'APPROVED', 'ISSUED', 'REJECTED', 'REVOKED')",
            name="status_known",
        ),
        CheckConstraint("risk_class != ''", name="risk_set"),
    )

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    ulb_code: Mapped[str] = mapped_column(ForeignKey("ulb.code"))
    application_no: Mapped[str] = mapped_column(String(30))  # BPA/<FY>/C01-00001
    permit_no: Mapped[str | None] = mapped_column(String(30), default=None)  # set at issue
    applicant_name_en: Mapped[str] = mapped_column(String(200))
    applicant_name_hi: Mapped[str] = mapped_column(String(200), default="")
    mobile: Mapped[str] = mapped_column(String(15), default="")
    address_en: Mapped[str] = mapped_column(String(300), default="")
    architect_name: Mapped[str] = mapped_column(String(200))
    architect_licence_no: Mapped[str] = mapped_column(String(40))
    khasra_no: Mapped[str] = mapped_column(String(60))
    ward_no: Mapped[int]
    plot_area_m2: Mapped[Decimal] = mapped_column(ExactDecimal())
    road_width_m: Mapped[Decimal] = mapped_column(ExactDecimal())
    occupancy: Mapped[str] = mapped_column(String(24))
    floors: Mapped[int]
    height_m: Mapped[Decimal] = mapped_column(ExactDecimal())
    built_up_area_m2: Mapped[Decimal] = mapped_column(ExactDecimal())
    risk_class: Mapped[str] = mapped_column(String(12))  # from the schedule in force; decides the path
    status: Mapped[str] = mapped_column(String(16), default="DRAFT")
    state_since: Mapped[str] = mapped_column(String(10))  # ISO IST day the current status began (SLA)
    created_on: Mapped[str] = mapped_column(String(10))
    submitted_on: Mapped[str] = mapped_column(String(10), default="")
    decided_on: Mapped[str] = mapped_column(String(10), default="")
    issued_on: Mapped[str] = mapped_column(String(10), default="")
    valid_to: Mapped[str] = mapped_column(String(10), default="")
    fee_period: Mapped[str] = mapped_column(String(7), default="")  # FY of the fee demands
    rejection_reasons: Mapped[str] = mapped_column(Text, default="")  # one reason a line
    revocation_reason: Mapped[str] = mapped_column(Text, default="")
    inspection_report: Mapped[str] = mapped_column(Text, default="")
    inspected_on: Mapped[str] = mapped_column(String(10), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(default=1)


class PermitEvent(Base):
    """Each workflow step: who moved the application from which status to which, and why."""

    __tablename__ = "permit_event"
    __table_args__ = (Index("ix_permit_event_application", "application_uuid"),)

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_uuid: Mapped[str] = mapped_column(ForeignKey("permit_application.uuid"))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(24))
    remarks: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class PermitDocument(Base):
    """A file attached to an application. The bytes live once under <data>/documents/<sha[:2]>/<sha>,
    however many applications or kinds refer to them."""

    __tablename__ = "permit_document"
    __table_args__ = (
        UniqueConstraint("application_uuid", "kind", "sha256"),
        Index("ix_permit_document_sha", "sha256"),
    )

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_uuid: Mapped[str] = mapped_column(ForeignKey("permit_application.uuid"))
    kind: Mapped[str] = mapped_column(String(24))  # SITE_PLAN, OWNERSHIP, INSPECTION_PHOTO, ...
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
