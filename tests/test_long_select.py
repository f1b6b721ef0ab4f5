"""The long lists of the pair form (tracker.forms.LongSelect) read exactly as WTForms writes
them: values and names escaped, the chosen one selected, groups kept."""

from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice, SelectField
from wtforms.widgets import Select

from tracker.forms import LongSelect, db_int

CHOICES = [
    SelectChoice(1, "Gdańsk"),
    SelectChoice(2, 'Rīga "old town" & <port>', optgroup="Programme <2026>"),
    SelectChoice(3, "München", optgroup="Programme <2026>"),
    SelectChoice(4, "", optgroup="Łódź"),
]


def _forms(chosen: str) -> tuple[str, str]:
    written = []
    for widget in (LongSelect(), Select()):

        class CityForm(FlaskForm):
            city = SelectField("City", coerce=db_int, validate_choice=False, widget=widget)

        form = CityForm(formdata=MultiDict({"city": chosen}), meta={"csrf": False})
        form.city.choices = CHOICES
        written.append(str(form.city(class_="form-select")))
    return written[0], written[1]


def test_the_long_list_reads_as_wtforms_writes_it(app):
    with app.test_request_context():
        for chosen in ("1", "2", "4", "9"):
            fast, wtforms = _forms(chosen)
            assert fast == wtforms
        assert "&#34;old town&#34; &amp; &lt;port&gt;" in fast
        assert '<option selected value="2">' in _forms("2")[0]


def test_the_kept_options_follow_a_renamed_city_and_the_value_chosen(app):
    """The options are kept per process: under the choices and the value chosen, so a city
    renamed, or another city chosen, is written afresh."""

    class CityForm(FlaskForm):
        city = SelectField("City", coerce=db_int, validate_choice=False, widget=LongSelect())

    with app.test_request_context():
        form = CityForm(formdata=MultiDict({"city": "3"}), meta={"csrf": False})
        form.city.choices = CHOICES
        assert '<option selected value="3">München</option>' in str(form.city())
        form.city.choices = [*CHOICES[:2], SelectChoice(3, "Munich", optgroup="Programme <2026>")]
        form.city.data = 1
        written = str(form.city())
        assert '<option value="3">Munich</option>' in written
        assert '<option selected value="1">Gdańsk</option>' in written
