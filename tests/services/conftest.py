import pytest

from selector import tasks
from tests.services.delivering import Retried


@pytest.fixture
def on_a_worker(monkeypatch):
    """Call the task as a worker would (not eager), recording what it retries."""
    retries = []

    def retry(**options):
        retries.append(options)
        return Retried()

    monkeypatch.setattr(tasks.execute_runs_task, "retry", retry)
    tasks.execute_runs_task.push_request(is_eager=False, retries=1)
    yield retries
    tasks.execute_runs_task.pop_request()
