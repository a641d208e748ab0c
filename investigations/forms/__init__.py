"""Forms of investigations: one module per concern."""

from investigations.forms.core import *  # noqa: F403
