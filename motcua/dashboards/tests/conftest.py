"""The metrics tests' province (two communes, a controller; the clock at 2025) and the August story."""

from motcua.metrics.tests.conftest import province, travel  # noqa: F401 - fixtures
