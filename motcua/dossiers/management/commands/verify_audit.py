"""Verify the dossier event hash chains; exit code 1 and the first broken link when one is broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.models import Dossier
from motcua.dossiers.services.verification import audit_verify


class Command(BaseCommand):
    help = "Verify the hash chain of dossier events (all dossiers, or one with --dossier CODE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossier", metavar="CODE", help="check only this dossier")

    def handle(self, *args: Any, **options: Any) -> None:
        dossiers = Dossier.objects.order_by("pk")
        if options["dossier"]:
            dossiers = dossiers.filter(code=options["dossier"].strip().upper())
            if not dossiers.exists():
                raise CommandError(f"no dossier {options['dossier']}")
        checked, broken = audit_verify(dossiers=dossiers.iterator())
        if broken is not None:
            label = broken.dossier.code or f"#{broken.dossier.pk}"
            raise CommandError(
                f"BROKEN: dossier {label}, event {broken.link.sequence}: {broken.link.reason} "
                f"({checked} chains intact before it)",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"OK: {checked} chains intact"))
