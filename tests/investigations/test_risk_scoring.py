"""The risk assessment's scoring, one pure function: the total maps to a level; an override moves it one level,
with a reason; every item must be answered."""

import pytest
from django.core.exceptions import ValidationError

from investigations.models import RiskAnswer, RiskItem
from investigations.services.assessments import level_for, risk_score

LEVELS = {"low": 0, "moderate": 3, "high": 6, "very_high": 9}


def _items(count: int = 3) -> list[RiskItem]:
    """`count` items answered 0 to 5 each (answer pk = item pk * 10 + score)."""
    return [RiskItem(pk=pk, code=f"item-{pk}", question=f"Question {pk}") for pk in range(1, count + 1)]


def _answer(item: RiskItem, score: int) -> RiskAnswer:
    return RiskAnswer(pk=item.pk * 10 + score, item_id=item.pk, label=str(score), score=score)


def _scored(scores: list[int], **override):
    items = _items(len(scores))
    answers = {item.pk: _answer(item, score) for item, score in zip(items, scores, strict=True)}
    return risk_score(items=items, answers=answers, thresholds=LEVELS, **override)


@pytest.mark.parametrize(
    ("total", "level"),
    [
        (0, "low"),
        (2, "low"),
        (3, "moderate"),
        (5, "moderate"),
        (6, "high"),
        (8, "high"),
        (9, "very_high"),
        (30, "very_high"),
    ],
)
def test_it_maps_each_total_to_the_highest_level_it_reaches(total, level):
    assert level_for(total, LEVELS) == level


def test_it_sums_the_chosen_answers():
    score = _scored([1, 2, 3])
    assert (score.total, score.scored_level, score.final_level, score.override_level) == (6, "high", "high", "")


@pytest.mark.parametrize(
    ("scores", "total", "level"),
    [([1, 1, 0], 2, "low"), ([1, 1, 1], 3, "moderate"), ([3, 3, 2], 8, "high"), ([3, 3, 3], 9, "very_high")],
)
def test_it_scores_each_side_of_a_boundary(scores, total, level):
    score = _scored(scores)
    assert (score.total, score.scored_level) == (total, level)


def test_a_policy_override_moves_the_level_one_up():
    score = _scored([1, 1, 1], override="policy", override_level="high", override_reason="Infant with a fracture")
    assert (score.scored_level, score.final_level, score.override_reason) == (
        "moderate",
        "high",
        "Infant with a fracture",
    )


def test_a_discretionary_override_moves_the_level_one_down():
    score = _scored([3, 3, 0], override="discretionary", override_level="moderate", override_reason="Family moved")
    assert (score.scored_level, score.final_level) == ("high", "moderate")


@pytest.mark.parametrize(
    ("scores", "level"),
    [([1, 1, 1], "very_high"), ([1, 1, 1], "moderate"), ([0, 0, 0], "high"), ([3, 3, 3], "moderate"), ([1, 1, 1], "")],
)
def test_an_override_beyond_one_level_or_to_the_same_level_is_refused(scores, level):
    with pytest.raises(ValidationError) as refused:
        _scored(scores, override="discretionary", override_level=level, override_reason="Because")
    assert "override_level" in refused.value.message_dict


def test_an_override_without_a_reason_is_refused():
    with pytest.raises(ValidationError) as refused:
        _scored([1, 1, 1], override="policy", override_level="high", override_reason="  ")
    assert refused.value.message_dict["override_reason"] == ["Give the reason for the override."]


def test_a_level_without_the_kind_of_override_is_refused():
    with pytest.raises(ValidationError) as refused:
        _scored([1, 1, 1], override_level="high", override_reason="Because")
    assert "override" in refused.value.message_dict


def test_an_item_left_unanswered_is_refused_by_name():
    items = _items(3)
    answers = {items[0].pk: _answer(items[0], 1), items[2].pk: _answer(items[2], 1)}
    with pytest.raises(ValidationError) as refused:
        risk_score(items=items, answers=answers, thresholds=LEVELS)
    assert refused.value.message_dict["answers"] == ["Answer this item: Question 2"]


def test_an_answer_of_another_item_is_refused():
    items = _items(2)
    answers = {items[0].pk: _answer(items[1], 1), items[1].pk: _answer(items[1], 1)}
    with pytest.raises(ValidationError) as refused:
        risk_score(items=items, answers=answers, thresholds=LEVELS)
    assert refused.value.message_dict["answers"] == ["Choose each answer among its own item's answers."]


def test_no_override_keeps_no_reason():
    score = _scored([0, 0, 0], override_reason="typed, then the override was taken back")
    assert (score.override, score.override_level, score.override_reason) == ("", "", "")
