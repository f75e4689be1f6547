"""Shared fixtures of the module_utils unit tests."""
import os
import uuid

import pytest

PG_DSN = os.environ.get('NFVO_TEST_PG_DSN')


@pytest.fixture(params=['sqlite', 'postgresql'])
def ledger_spec(request, tmp_path):
    """open_ledger() arguments of an empty ledger: a SQLite file, or a fresh schema of the test PostgreSQL database."""
    if request.param == 'sqlite':
        yield {'path': str(tmp_path / 'ledger.db')}
        return
    if not PG_DSN:
        pytest.skip('NFVO_TEST_PG_DSN is not set: start a server with tests/services/postgres.sh start and export the DSN it prints')
    import psycopg
    from psycopg.conninfo import make_conninfo
    schema = 'test_%s' % uuid.uuid4().hex[:12]
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute('CREATE SCHEMA %s' % schema)
    yield {'dsn': make_conninfo(PG_DSN, options='-c search_path=%s' % schema)}
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute('DROP SCHEMA %s CASCADE' % schema)
