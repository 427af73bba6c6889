"""SQL expressions the apps share."""

from django.db.models.fields.json import KeyTextTransform, compile_json_path


class KeyNumber(KeyTextTransform):
    """A key of a JSON object that holds a number, read as text to be cast: ``->>`` on
    PostgreSQL, as Django writes it; on SQLite, ``JSON_EXTRACT`` alone. Django's SQLite form
    asks ``JSON_TYPE`` first (to read JSON's true, false and null as words), which parses the
    object once more per key read: with ten indicators a row, most of the time of an export.
    A number needs no such words, and a JSON null is read as NULL, as PostgreSQL reads it."""

    def as_sqlite(self, compiler, connection):
        lhs, params, key_transforms = self.preprocess_lhs(compiler, connection)
        return f"JSON_EXTRACT({lhs}, %s)", (*params, compile_json_path(key_transforms))
