"""JSON API for people. Thin: serializers check the shape, services decide, accounts.access fetches.

Records are named by their public id ("id"), never by a database key.
"""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from common.api import ETAG, version_field, versioned_update, versioned_update_schema, with_etag
from families import selectors, services
from families.choices import KinResource, Race, RelationshipKind
from families.forms import PersonSearchForm
from families.models import (
    Household,
    HouseholdMember,
    Person,
    PersonAddress,
    PersonAlias,
    Relationship,
    TribalAffiliation,
)


def _people():
    return Person.objects.select_related("merged_into").prefetch_related("aliases", "addresses", "tribal_affiliations")


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonAlias
        fields = ["first_name", "last_name", "kind"]


class AliasInputSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonAddress
        fields = ["kind", "line1", "line2", "city", "state", "postal_code", "started_on", "ended_on"]


class TribalAffiliationSerializer(serializers.ModelSerializer):
    class Meta:
        model = TribalAffiliation
        fields = ["tribe", "enrollment_status"]


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    full_name = serializers.CharField(read_only=True)
    age = serializers.SerializerMethodField(help_text="Whole years today: exact from the birth date, else estimated.")
    age_is_estimate = serializers.SerializerMethodField()
    races = serializers.ListField(child=serializers.ChoiceField(choices=Race.choices), required=False)
    aliases = AliasSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "middle_name",
            "last_name",
            "suffix",
            "full_name",
            "birth_date",
            "approximate_age",
            "approximate_age_on",
            "age",
            "age_is_estimate",
            "sex",
            "races",
            "hispanic_ethnicity",
            "primary_language",
            "interpreter_needed",
            "phone",
            "email",
            "deceased_on",
            "aliases",
        ]
        read_only_fields = ["approximate_age_on"]

    def get_age(self, person) -> int | None:
        return person.age_on(timezone.localdate())

    def get_age_is_estimate(self, person) -> bool:
        return person.birth_date is None and person.approximate_age is not None


class PersonDetailSerializer(PersonSerializer):
    addresses = AddressSerializer(many=True, read_only=True)
    tribal_affiliations = TribalAffiliationSerializer(many=True, read_only=True)
    merged_into = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    version = version_field()

    class Meta(PersonSerializer.Meta):
        fields = [
            *PersonSerializer.Meta.fields,
            "version",
            "addresses",
            "icwa_reason_to_know",
            "icwa_asked_at",
            "tribal_affiliations",
            "merged_into",
        ]
        read_only_fields = ["approximate_age_on", "icwa_reason_to_know", "icwa_asked_at"]


class PersonCreateSerializer(PersonSerializer):
    aliases = AliasInputSerializer(many=True, required=False)
    confirmed_not_duplicate = serializers.BooleanField(
        default=False,
        write_only=True,
        help_text="Set after looking at the possible duplicates a first attempt answered with.",
    )

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "confirmed_not_duplicate"]


class PossibleDuplicateSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(source="full_name", read_only=True)
    age = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "name", "birth_date", "age"]

    def get_age(self, person) -> int | None:
        return person.age_on(timezone.localdate())


PossibleDuplicatesResponse = inline_serializer(
    "PossibleDuplicates",
    {
        # Present when likely existing records were found; any other refusal names the fields instead.
        "confirmed_not_duplicate": serializers.ListField(child=serializers.CharField(), required=False),
        "possible_duplicates": PossibleDuplicateSerializer(many=True, required=False),
    },
)


def person_arguments(validated: dict) -> dict:
    """A PersonCreateSerializer's data as families.services.person_create takes it."""
    fields = dict(validated)
    aliases = [(alias["first_name"], alias["last_name"]) for alias in fields.pop("aliases", [])]
    return {**fields, "aliases": aliases}


def possible_duplicates(error: ValidationError, *, user, person: dict, nested_in: str = "") -> Response:
    """The 400 a refusal to record someone answers with: when it stopped at likely existing records, the
    records (`PossibleDuplicatesResponse`); any other refusal raised again, for its field errors (those of
    the person's own fields under `nested_in`, when the person came as that object of a larger body)."""
    if not services.is_possible_duplicate(error):
        if not (nested_in and hasattr(error, "error_dict")):
            raise error
        errors = error.message_dict
        own = {field: errors.pop(field) for field in list(errors) if field in (*services.PERSON_FIELDS, "aliases")}
        raise serializers.ValidationError({**errors, **({nested_in: own} if own else {})}) from error
    matches = selectors.likely_matches(
        user=user, first_name=person["first_name"], last_name=person["last_name"], birth_date=person.get("birth_date")
    )
    body = {
        "confirmed_not_duplicate": error.message_dict["confirmed_not_duplicate"],
        "possible_duplicates": PossibleDuplicateSerializer(matches, many=True).data,
    }
    return Response(body, status=400)


class PersonRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField(source="full_name")


class RelationshipSerializer(serializers.ModelSerializer):
    """A relationship read from one person's side (the `viewpoint` in the context).

    Written from that side too: '<this person> is <kind> <relative>'.
    """

    id = serializers.UUIDField(source="public_id", read_only=True)
    label = serializers.SerializerMethodField(help_text="How it reads from this person's side.")
    other_person = serializers.SerializerMethodField()
    relative = serializers.UUIDField(
        write_only=True, required=False, help_text="The other person's id, for someone on record."
    )
    new_relative = PersonCreateSerializer(
        write_only=True,
        required=False,
        help_text="Someone not on record yet, recorded with the relationship (instead of `relative`).",
    )
    kind = serializers.ChoiceField(
        choices=RelationshipKind.choices, help_text="This person is <kind> the relative, e.g. birth_parent."
    )
    kin_resource = serializers.ChoiceField(choices=KinResource.choices, required=False, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

    class Meta:
        model = Relationship
        fields = [
            "id",
            "label",
            "other_person",
            "relative",
            "new_relative",
            "kind",
            "kin_resource",
            "notes",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_label(self, relationship) -> str:
        return relationship.label_from(self.context["viewpoint"])

    @extend_schema_field(PersonRefSerializer)
    def get_other_person(self, relationship) -> dict:
        return PersonRefSerializer(relationship.other(self.context["viewpoint"])).data

    def validate_relative(self, public_id):
        relative = selectors.people(self.context["request"].user).filter(public_id=public_id).first()
        if relative is None:
            raise serializers.ValidationError("No person with this id.")
        return relative

    def validate(self, data):
        return one_person_of(data, existing="relative", new="new_relative")


def one_person_of(data: dict, *, existing: str, new: str) -> dict:
    """A body names someone on record (`existing`) or someone new (`new`): one of the two, never both."""
    if existing in data and new in data:
        raise serializers.ValidationError({new: [f"Give either {existing} (someone on record) or {new}, not both."]})
    if existing not in data and new not in data:
        raise serializers.ValidationError(
            {existing: [f"Give {existing} (the id of someone on record) or {new} (someone not on record yet)."]}
        )
    return data


class MergeSerializer(serializers.Serializer):
    duplicate = serializers.UUIDField(help_text="The record to fold into this one.")
    reason = serializers.CharField(max_length=2000)


class PersonListCreate(generics.ListAPIView):
    required_capability = "work_cases"
    serializer_class = PersonSerializer

    def get_queryset(self):
        # The page's search form validates the query parameters here too: one set of rules.
        form = PersonSearchForm(self.request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        return selectors.person_search(user=self.request.user, **form.criteria())

    @extend_schema(
        description="People the user may see matching every criterion given, best name match first.",
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, description="Typo-tolerant, any order, aliases too."),
            OpenApiParameter("birth_date", OpenApiTypes.DATE),
            OpenApiParameter("phone", OpenApiTypes.STR, description="Any formatting; the last digits match."),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        description=(
            "Record a person. When likely existing records are found, the answer is a 400 listing them; "
            "send again with confirmed_not_duplicate true if none of them is this person."
        ),
        request=PersonCreateSerializer,
        responses={201: PersonDetailSerializer, 400: PossibleDuplicatesResponse},
    )
    def post(self, request):
        # Recording gives no access: only a role reading every person records someone on no record.
        if not services.may_record_alone(request.user):
            raise PermissionDenied
        serializer = PersonCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        arguments = person_arguments(serializer.validated_data)
        try:
            person = services.person_create_alone(actor=request.user, **arguments)
        except ValidationError as error:
            return possible_duplicates(error, user=request.user, person=arguments)
        return Response(PersonDetailSerializer(_people().get(pk=person.pk)).data, status=201)


class PersonDetail(APIView):
    @extend_schema(responses=PersonDetailSerializer, parameters=[ETAG])
    def get(self, request, public_id):
        person = access.get_for_view(request.user, _people(), public_id=public_id)
        return with_etag(Response(PersonDetailSerializer(person).data), person.version)

    @versioned_update_schema(PersonDetailSerializer, "Change a person's details")
    def patch(self, request, public_id):
        person = access.get_for_change(request.user, Person.objects.all(), public_id=public_id)
        serializer = PersonDetailSerializer(person, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        update = partial(services.person_update, actor=request.user, person=person)
        person = _people().get(pk=versioned_update(request, update, **serializer.validated_data).pk)
        return with_etag(Response(PersonDetailSerializer(person).data), person.version)


class PersonRelationships(APIView):
    @extend_schema(responses=RelationshipSerializer(many=True))
    def get(self, request, public_id):
        person = access.get_for_view(request.user, Person.objects.all(), public_id=public_id)
        relationships = [rel for _label, _other, rel in selectors.relationships_of(user=request.user, person=person)]
        return Response(RelationshipSerializer(relationships, many=True, context={"viewpoint": person}).data)

    @extend_schema(
        description=(
            "Relate the person to someone on record (`relative`), or to someone not on record yet "
            "(`new_relative`), recorded with the relationship or not at all. When likely existing records "
            "are found for a new relative, the answer is a 400 listing them, as recording a person answers; "
            "send again with new_relative.confirmed_not_duplicate true if none of them is this person."
        ),
        request=RelationshipSerializer,
        responses={201: RelationshipSerializer, 400: PossibleDuplicatesResponse},
    )
    def post(self, request, public_id):
        person = access.get_for_change(request.user, Person.objects.all(), public_id=public_id)
        serializer = RelationshipSerializer(data=request.data, context={"request": request, "viewpoint": person})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "new_relative" in data:
            new_relative = person_arguments(data.pop("new_relative"))
            try:
                relationship = services.relationship_create_with_new_relative(
                    actor=request.user, person=person, **data, **new_relative
                )
            except ValidationError as error:
                return possible_duplicates(error, user=request.user, person=new_relative, nested_in="new_relative")
        else:
            relationship = services.relationship_create(actor=request.user, person=person, **data)
        return Response(RelationshipSerializer(relationship, context={"viewpoint": person}).data, status=201)


class PersonMerge(APIView):
    required_capability = "merge_people"

    @extend_schema(request=MergeSerializer, responses=PersonDetailSerializer)
    def post(self, request, public_id):
        survivor = access.get_for_change(request.user, Person.objects.all(), public_id=public_id)
        serializer = MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        duplicate = access.get_for_change(
            request.user,
            Person.objects.filter(merged_into__isnull=True),
            public_id=serializer.validated_data["duplicate"],
        )
        services.person_merge(
            actor=request.user, survivor=survivor, duplicate=duplicate, reason=serializer.validated_data["reason"]
        )
        return Response(PersonDetailSerializer(_people().get(pk=survivor.pk)).data)


class HouseholdMemberSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = PersonRefSerializer(read_only=True)

    class Meta:
        model = HouseholdMember
        fields = ["id", "person", "started_on", "ended_on", "end_reason"]


class HouseholdSerializer(serializers.ModelSerializer):
    """A household with the members the user may see, current ones first."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    members = HouseholdMemberSerializer(source="visible_memberships", many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "name", "address", "created_at", "members"]


class _PeopleByIdMixin:
    def person_from_id(self, public_id) -> Person:
        person = selectors.people(self.context["request"].user).filter(public_id=public_id).first()
        if person is None:
            raise serializers.ValidationError(f"No person with the id {public_id}.")
        return person


class HouseholdCreateSerializer(_PeopleByIdMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    members = serializers.ListField(
        child=serializers.UUIDField(), allow_empty=True, help_text="The ids of the people living there."
    )
    started_on = serializers.DateField()

    def validate_members(self, public_ids):
        return [self.person_from_id(public_id) for public_id in public_ids]


class HouseholdJoinSerializer(_PeopleByIdMixin, serializers.Serializer):
    person = serializers.UUIDField(help_text="The id of the person joining.")
    started_on = serializers.DateField()

    def validate_person(self, public_id):
        return self.person_from_id(public_id)


class HouseholdLeaveSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class PersonHouseholds(APIView):
    @extend_schema(responses=HouseholdSerializer(many=True))
    def get(self, request, public_id):
        person = access.get_for_view(request.user, Person.objects.all(), public_id=public_id)
        return Response(HouseholdSerializer(selectors.households_for(request.user, person), many=True).data)

    @extend_schema(
        description="Start a household; the person of the address is one of its members.",
        request=HouseholdCreateSerializer,
        responses={201: HouseholdSerializer},
    )
    def post(self, request, public_id):
        person = access.get_for_change(request.user, Person.objects.all(), public_id=public_id)
        serializer = HouseholdCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        members = serializer.validated_data["members"]
        if members and person not in members:
            raise serializers.ValidationError({"members": ["List this person among the members."]})
        household = services.household_create(actor=request.user, **serializer.validated_data)
        [created] = [found for found in selectors.households_for(request.user, person) if found.pk == household.pk]
        return Response(HouseholdSerializer(created).data, status=201)


class HouseholdMembers(APIView):
    @extend_schema(request=HouseholdJoinSerializer, responses={201: HouseholdMemberSerializer})
    def post(self, request, public_id):
        household = selectors.household_to_change(request.user, public_id)
        serializer = HouseholdJoinSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        membership = services.household_add_member(actor=request.user, household=household, **serializer.validated_data)
        return Response(HouseholdMemberSerializer(membership).data, status=201)


class HouseholdMemberEnd(APIView):
    @extend_schema(request=HouseholdLeaveSerializer, responses=HouseholdMemberSerializer)
    def post(self, request, public_id):
        membership = selectors.household_membership_to_change(request.user, public_id)
        serializer = HouseholdLeaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.household_end_member(
            actor=request.user, membership=membership, **serializer.validated_data
        )
        return Response(HouseholdMemberSerializer(membership).data)
