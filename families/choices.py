from django.db import models


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    UNKNOWN = "unknown", "Unknown"


class Race(models.TextChoices):
    """AFCARS race categories; several may apply to one person."""

    AMERICAN_INDIAN = "american_indian", "American Indian or Alaska Native"
    ASIAN = "asian", "Asian"
    BLACK = "black", "Black or African American"
    PACIFIC_ISLANDER = "pacific_islander", "Native Hawaiian or Other Pacific Islander"
    WHITE = "white", "White"
    UNABLE_TO_DETERMINE = "unable_to_determine", "Unable to determine"
    DECLINED = "declined", "Declined to answer"


class HispanicEthnicity(models.TextChoices):
    YES = "yes", "Hispanic or Latino"
    NO = "no", "Not Hispanic or Latino"
    UNKNOWN = "unknown", "Unknown"
    DECLINED = "declined", "Declined to answer"


class ReasonToKnow(models.TextChoices):
    """ICWA: is there reason to know the child is an Indian child?"""

    NOT_ASKED = "", "Not yet asked"
    YES = "yes", "Reason to know"
    NO = "no", "No reason to know"
    UNKNOWN = "unknown", "Unknown after inquiry"


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled member"
    ELIGIBLE = "eligible", "Eligible for membership"
    NOT_ENROLLED = "not_enrolled", "Not enrolled"
    PENDING = "pending", "Determination pending"
    UNKNOWN = "unknown", "Unknown"


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    MAIDEN = "maiden", "Maiden name"
    NICKNAME = "nickname", "Nickname"
    PREVIOUS = "previous", "Previous legal name"
    MERGED = "merged", "Name on a merged record"


class AddressKind(models.TextChoices):
    RESIDENCE = "residence", "Residence"
    MAILING = "mailing", "Mailing"


class RelationshipKind(models.TextChoices):
    """'A is <kind> of B'. Each kind has a reading from B's side in INVERSE_LABELS."""

    BIRTH_PARENT = "birth_parent", "Birth parent of"
    ADOPTIVE_PARENT = "adoptive_parent", "Adoptive parent of"
    STEP_PARENT = "step_parent", "Step-parent of"
    LEGAL_GUARDIAN = "legal_guardian", "Legal guardian of"
    SIBLING = "sibling", "Sibling of"
    HALF_SIBLING = "half_sibling", "Half-sibling of"
    GRANDPARENT = "grandparent", "Grandparent of"
    AUNT_UNCLE = "aunt_uncle", "Aunt or uncle of"
    COUSIN = "cousin", "Cousin of"
    OTHER_RELATIVE = "other_relative", "Other relative of"
    FICTIVE_KIN = "fictive_kin", "Fictive kin of"
    PARTNER_OF_PARENT = "partner_of_parent", "Partner of the parent of"
    SPOUSE_PARTNER = "spouse_partner", "Spouse or partner of"


INVERSE_LABELS: dict[str, str] = {
    RelationshipKind.BIRTH_PARENT: "Child (by birth) of",
    RelationshipKind.ADOPTIVE_PARENT: "Child (by adoption) of",
    RelationshipKind.STEP_PARENT: "Step-child of",
    RelationshipKind.LEGAL_GUARDIAN: "Ward of",
    RelationshipKind.SIBLING: "Sibling of",
    RelationshipKind.HALF_SIBLING: "Half-sibling of",
    RelationshipKind.GRANDPARENT: "Grandchild of",
    RelationshipKind.AUNT_UNCLE: "Niece or nephew of",
    RelationshipKind.COUSIN: "Cousin of",
    RelationshipKind.OTHER_RELATIVE: "Other relative of",
    RelationshipKind.FICTIVE_KIN: "Fictive kin of",
    RelationshipKind.PARTNER_OF_PARENT: "Child of the partner",
    RelationshipKind.SPOUSE_PARTNER: "Spouse or partner of",
}

# Kinds that make the first person a relative (kin) of the second, for kin search and placement.
KIN_KINDS = {
    RelationshipKind.GRANDPARENT,
    RelationshipKind.AUNT_UNCLE,
    RelationshipKind.COUSIN,
    RelationshipKind.OTHER_RELATIVE,
    RelationshipKind.FICTIVE_KIN,
    RelationshipKind.SIBLING,
    RelationshipKind.HALF_SIBLING,
}


class KinResource(models.TextChoices):
    NONE = "", "Not assessed"
    PLACEMENT = "placement", "Possible placement"
    SUPPORT = "support", "Support only"
    PLACEMENT_AND_SUPPORT = "placement_and_support", "Possible placement and support"
    RULED_OUT = "ruled_out", "Ruled out"
