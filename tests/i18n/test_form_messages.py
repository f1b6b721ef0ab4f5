"""The form library's own messages in the reader's language: ours where we have words for them
(through the catalogues), WTForms' own translation otherwise, never the English of either."""

from __future__ import annotations

import pytest
from wtforms import Form, StringField
from wtforms.validators import Regexp

from tests.i18n import read_in
from tracker.form_messages import OWN_MESSAGES


class Named(Form):
    """A form with a message of WTForms' that we have no words of our own for."""

    code = StringField(validators=[Regexp(r"^[A-Z]+$")])

    class Meta:
        def get_translations(self, form):
            return OWN_MESSAGES


@pytest.mark.parametrize(
    ("language", "expected"), [("de", "Ungültige Eingabe."), ("fr", "Saisie non valide.")]
)
def test_a_message_without_words_of_ours_is_the_librarys_translation(
    app, monkeypatch, language, expected
):
    read_in(app, monkeypatch, language)
    with app.test_request_context():
        form = Named(data={"code": "Łódź"})
        assert not form.validate()
        assert form.code.errors == [expected]


def test_in_english_the_library_speaks_english_and_our_plurals_agree(app):
    with app.test_request_context():
        assert OWN_MESSAGES.gettext("Invalid input.") == "Invalid input."
        at_least = "Field must be at least %(min)d character long."
        assert OWN_MESSAGES.ngettext(at_least, "", 1) == "Write at least %(min)d character."
        assert OWN_MESSAGES.ngettext(at_least, "", 2) == "Write at least %(min)d characters."
