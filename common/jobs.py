"""What every periodic job's Celery task shares."""

# Retried with exponential backoff (1, 2, 4, ... minutes up to an hour; Celery logs each retry), and
# acknowledged only once done: a worker killed mid-job leaves its message for the broker to give again.
JOB_RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 8,
    "acks_late": True,
}
