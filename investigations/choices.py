from django.db import models


class InvestigationStatus(models.TextChoices):
    AWAITING_ASSIGNMENT = "awaiting_assignment", "Awaiting assignment"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
