"""Settings of the load run's server (`bench load`): production's, DEBUG off, served over plain HTTP on loopback,
with the bench's floor page beside the project's URLs."""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

ROOT_URLCONF = "demo.bench.floor"
# Loopback without TLS: the cookies travel over HTTP, and nothing redirects to HTTPS.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
# No collectstatic before the run: pages name their static files unhashed (the run never fetches them).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
