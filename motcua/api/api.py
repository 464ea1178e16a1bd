"""The HTTP API v1 (SPEC §8). Each area has its router in `routers/`; this module wires them."""

from __future__ import annotations

from ninja import NinjaAPI, Schema

from motcua.api.errors import install_error_handlers
from motcua.api.routers import (
    calendar,
    dossiers,
    feedback,
    metrics,
    procedures,
    queue,
    reports,
    tracking,
    units,
    verify,
)

api = NinjaAPI(
    title="MotCua API",
    version="1",
    description="Public-service portal and electronic one-stop desk: catalog, dossiers, calendar, indices.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)


class HealthOut(Schema):
    status: str


@api.get("/health", response=HealthOut, tags=["system"])
def health(request):
    return {"status": "ok"}


api.add_router("/calendar", calendar.router, tags=["calendar"])
api.add_router("/units", units.router, tags=["units"])
api.add_router("/procedures", procedures.router, tags=["procedures"])
api.add_router("/dossiers", dossiers.router)
api.add_router("/track", tracking.router)
api.add_router("/verify", verify.router, tags=["verify"])
api.add_router("/vault", "motcua.api.routers.vault.router")
api.add_router("/metrics", metrics.router, tags=["metrics"])
api.add_router("/reports", reports.router, tags=["reports"])
api.add_router("/ratings", feedback.ratings_router)
api.add_router("/feedback", feedback.router)
api.add_router("/queue", queue.router, tags=["queue"])
