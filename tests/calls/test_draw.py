"""The public lottery: a documented, deterministic function of the seed and the sorted receipt numbers, that
``verify_draw`` recomputes from what was stored and that cannot be redone."""

import hashlib
import io

import pytest
from django.core.management import call_command

from calls.draw import REFERENCE_PROGRAM, draw_order


def test_the_same_seed_and_entries_give_the_same_order_whatever_their_input_order():
    entries = [f"YSH2027-{n:04d}" for n in range(1, 29)]
    first = draw_order("37-12-05", entries)
    assert first == draw_order("37-12-05", list(reversed(entries)))
    assert sorted(first) == entries  # a permutation: nobody lost or added
    assert first != entries
    assert draw_order("37-12-06", entries) != first  # another seed, another order


def test_the_algorithm_is_the_documented_one():
    """Recomputed here from the description alone (SHA-256 of "seed:k", rejection, Fisher–Yates from the end)."""
    entries = sorted(["B-2", "A-1", "C-3", "D-4", "E-5"])
    seed = "witness-07-42"
    expected = list(entries)
    k = 0
    for i in range(len(expected) - 1, 0, -1):
        n = i + 1
        while True:
            value = int.from_bytes(hashlib.sha256(f"{seed}:{k}".encode()).digest(), "big")
            k += 1
            if value < 2**256 - 2**256 % n:
                break
        j = value % n
        expected[i], expected[j] = expected[j], expected[i]
    assert draw_order(seed, ["E-5", "C-3", "A-1", "D-4", "B-2"]) == expected


def test_the_program_printed_on_the_draw_page_gives_the_same_result():
    namespace = {}
    exec(REFERENCE_PROGRAM, namespace)
    entries = [f"ODR2026-{n:04d}" for n in range(1, 41)]
    assert namespace["draw_order"]("11-23-58", entries) == draw_order("11-23-58", entries)


def test_a_draw_needs_a_seed():
    with pytest.raises(ValueError):
        draw_order("", ["A"])


def test_one_or_no_entry():
    assert draw_order("seed", []) == []
    assert draw_order("seed", ["ONLY-1"]) == ["ONLY-1"]


@pytest.mark.django_db
def test_verify_draw_confirms_a_published_draw_and_catches_any_changed_input(published_draw):
    call, draw = published_draw
    out = io.StringIO()
    call_command("verify_draw", call.slug, stdout=out)
    assert "OK: the order of" in out.getvalue()

    def fails():
        with pytest.raises(SystemExit) as exit_info:
            call_command("verify_draw", call.slug, stdout=io.StringIO(), stderr=io.StringIO())
        return exit_info.value.code

    original_seed = draw.seed
    type(draw).objects.filter(pk=draw.pk).update(seed=original_seed + "x")
    assert fails() == 1
    type(draw).objects.filter(pk=draw.pk).update(seed=original_seed)

    swapped = list(draw.order)
    swapped[0], swapped[1] = swapped[1], swapped[0]
    type(draw).objects.filter(pk=draw.pk).update(order=swapped)
    assert fails() == 1
    type(draw).objects.filter(pk=draw.pk).update(order=draw.order)

    first = call.applications.get(receipt_number=draw.order[0])
    type(first).objects.filter(pk=first.pk).update(draw_position=2)
    assert fails() == 1
    type(first).objects.filter(pk=first.pk).update(draw_position=1)

    type(first).objects.filter(pk=first.pk).update(draw_position=None)  # taken out of the draw afterwards
    assert fails() == 1
    type(first).objects.filter(pk=first.pk).update(draw_position=1)
    call_command("verify_draw", call.slug, stdout=io.StringIO())


@pytest.mark.django_db
def test_verify_draw_says_when_there_is_nothing_to_verify():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no call"):
        call_command("verify_draw", "no-such-call")
