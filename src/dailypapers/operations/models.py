"""What the task engine leaves in the database for `dailypapers status` and for resuming:
each job run (running, done, failed) and each backfill's saved position."""

from __future__ import annotations

from django.db import models


class TaskRecord(models.Model):
    """One run of a job on the task engine; a worker killed mid-job leaves it `running`."""

    class State(models.TextChoices):
        RUNNING = "running"
        DONE = "done"
        RETRYING = "retrying"
        FAILED = "failed"

    task_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    queue = models.CharField(max_length=32)
    state = models.CharField(max_length=16, choices=State.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["queue", "state"], name="taskrecord_queue_state")]

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"


class Backfill(models.Model):
    """A history import and how far it got: a rerun continues from `position`."""

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        STOPPED = "stopped"  # Ctrl-C: waits for the operator to run it again
        DONE = "done"
        FAILED = "failed"

    key = models.CharField(max_length=500, unique=True)  # the source and its arguments
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    position = models.CharField(max_length=200, blank=True)  # bytes read, or a resumption token
    done_count = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField()
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.key} ({self.state}, {self.done_count:,})"
