"""The Celery app's configuration: what beat runs, and how often."""

from config.celery import app
from selector import tasks


def test_celery_beat_runs_the_sweeper_every_minute():
    entry = app.conf.beat_schedule["sweep-runs"]
    assert entry["task"] == tasks.sweep_runs_task.name
    assert entry["schedule"] == 60.0
