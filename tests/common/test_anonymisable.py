"""One way to record that a row's personal data was erased: ``AnonymisableModel.anonymised_at``."""

from django.apps import apps

from jeonju_center.common.models import AnonymisableModel


def _concrete_models():
    return [model for model in apps.get_models() if not model.__name__.startswith("Historical")]


def test_every_model_recording_an_anonymisation_uses_the_shared_base():
    recording = [
        model._meta.label
        for model in _concrete_models()
        if any(field.name == "anonymised_at" for field in model._meta.get_fields())
    ]
    assert sorted(recording) == sorted(
        model._meta.label for model in _concrete_models() if issubclass(model, AnonymisableModel)
    )
    assert "courses.Enrollment" in recording and "regeneration.Tenancy" in recording


def test_no_model_keeps_a_second_flag_or_another_spelling():
    for model in apps.get_models():
        names = {field.name for field in model._meta.get_fields()}
        assert not names & {"is_anonymised", "is_anonymized", "anonymized_at"}, model._meta.label
