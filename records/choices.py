from django.db import models


class ContactType(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    WRITTEN = "written", "Written"
    ATTEMPTED = "attempted", "Attempted (no contact made)"


class ContactLocation(models.TextChoices):
    RESIDENCE = "residence", "Child's residence or placement"
    OFFICE = "office", "Office"
    SCHOOL = "school", "School"
    COURT = "court", "Court"
    OTHER = "other", "Other"
