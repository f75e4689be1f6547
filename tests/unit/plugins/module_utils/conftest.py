"""Shared fixtures of the module_utils unit tests."""
import pytest


@pytest.fixture(params=['sqlite', 'postgresql'])
def ledger_spec(request, tmp_path):
    """open_ledger() arguments of an empty ledger: a SQLite file, or a fresh schema of the test PostgreSQL database."""
    if request.param == 'sqlite':
        return {'path': str(tmp_path / 'ledger.db')}
    return {'dsn': request.getfixturevalue('pg_schema_dsn')}
