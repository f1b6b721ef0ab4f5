"""The form a coordinator uses to load a catalogue file."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize

from tracker.catalogue.loader import MAX_FILE_BYTES


class LoadCatalogueForm(FlaskForm):
    file = FileField(
        _l("Catalogue file (YAML)"),
        validators=[
            FileRequired(_l("Choose a catalogue file to load.")),
            FileAllowed(["yaml", "yml"], _l("The catalogue must be a .yaml file.")),
            FileSize(MAX_FILE_BYTES, message=_l("The catalogue file must be under 1 MB.")),
        ],
    )
