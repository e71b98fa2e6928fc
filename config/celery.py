"""The Celery application; configuration comes from Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Parallelism comes from processes (worker pool, gunicorn workers): one BLAS thread each.
# Otherwise numpy's OpenBLAS starts a spinning thread per core in every process, and
# two worker processes on two cores ran slower than one (benchmarks/batch.py). Set
# before numpy is imported; this module is imported first (config/__init__.py).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

app = Celery("shortlist")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_database_connections(sender=None, **kwargs) -> None:
    """Around each task, what Django does around each request: drop a connection that
    is broken or older than CONN_MAX_AGE, keep a healthy one (no reconnect per task)."""
    if sender is not None and not getattr(sender.request, "is_eager", False):
        close_old_connections()


# The sweeper (selector.services.sweeps.sweep_runs) once a minute, run by `celery worker --beat`
# (`make worker`) or a separate `celery beat`. A sweep that could not start within the
# minute is dropped: the next one does the same work.
app.conf.beat_schedule = {
    "sweep-runs": {
        "task": "selector.tasks.sweep_runs_task",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
}
