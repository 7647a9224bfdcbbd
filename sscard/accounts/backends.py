import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from sscard.core import prepared

from . import selectors


class CitizenBackend(ModelBackend):
    """Authenticate a citizen by ID number or mobile phone plus password."""

    def authenticate(self, request, identifier=None, password=None, **kwargs):
        if not identifier or not password:
            return None
        user = selectors.citizen_by_identifier(identifier)
        if user is None:
            get_user_model()().set_password(password)  # equal time whether the account exists or not
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user of a request (every page with a session): the same row `ModelBackend.get_user`
        reads, by one prepared statement of the user's columns (`core.prepared`), converted as the ORM converts
        them, instead of an ORM query built on every request (a quarter of a cached page's Python, measured with
        `python -m bench.page_profile`)."""
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:  # a session holding what is not an id: no user, as ModelBackend
            return None
        sql, names, converters = _user_read(model)
        row = prepared.fetchone(sql, [pk])
        if row is None:
            return None
        values = list(row)
        for index, column, convert in converters:
            values[index] = convert(values[index], column, connection)
        user = model.from_db(connection.alias, names, values)
        return user if self.user_can_authenticate(user) else None


@functools.cache
def _user_read(model):
    """(SQL, attribute names, converters) of the user's row by primary key, made once per process (one database)."""
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    columns = [field.get_col(model._meta.db_table) for field in fields]
    sql = (f"SELECT {', '.join(quote(field.column) for field in fields)} FROM {quote(model._meta.db_table)} "
           f"WHERE {quote(model._meta.pk.column)} = %s")
    converters = [(index, column, convert) for index, column in enumerate(columns)
                  for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection)]
    return sql, [field.attname for field in fields], converters
