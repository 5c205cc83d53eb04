"""Prometheus: request counts and latency per route (Litestar), plus the database pool."""

from __future__ import annotations

import weakref
from collections.abc import Iterator

from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.pool import QueuePool

from patron.db.uow import Database

PROMETHEUS = PrometheusConfig(app_name="patron", prefix="patron", group_path=True, exclude=["/metrics"])


class PoolCollector(Collector):
    """Connections checked out of / idle in each live database pool."""

    def __init__(self) -> None:
        self.databases: weakref.WeakSet[Database] = weakref.WeakSet()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        in_use = GaugeMetricFamily("patron_db_pool_in_use", "Database connections checked out")
        idle = GaugeMetricFamily("patron_db_pool_idle", "Database connections idle in the pool")
        for database in list(self.databases):
            pool = database.engine.pool
            if isinstance(pool, QueuePool):
                in_use.add_metric([], pool.checkedout())
                idle.add_metric([], pool.checkedin())
        yield in_use
        yield idle


POOL_COLLECTOR = PoolCollector()
REGISTRY.register(POOL_COLLECTOR)


class MetricsController(PrometheusController):
    path = "/metrics"
    openmetrics_format = False
