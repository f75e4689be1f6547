"""Make the working tree importable as ansible_collections.telco.nfvo for pytest.

ansible-test needs a real ansible_collections/telco/nfvo directory; plain pytest is happy with a
symlink, made once under .build/ (git-ignored).
"""
import os
import sys
import uuid

import pytest

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_BASE = os.path.join(_ROOT, '.build', 'pytest')
_LINK = os.path.join(_BASE, 'ansible_collections', 'telco', 'nfvo')
if not os.path.islink(_LINK):
    os.makedirs(os.path.dirname(_LINK), exist_ok=True)
    try:
        os.symlink(_ROOT, _LINK)
    except FileExistsError:
        pass
if _BASE not in sys.path:
    sys.path.insert(0, _BASE)
# helpers shared by the unit and the integration tests (headless.py)
if os.path.dirname(os.path.abspath(__file__)) not in sys.path:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def pg_schema_dsn():
    """DSN of a fresh schema in the test PostgreSQL server (NFVO_TEST_PG_DSN), dropped afterwards; skips without one."""
    dsn = os.environ.get('NFVO_TEST_PG_DSN')
    if not dsn:
        pytest.skip('NFVO_TEST_PG_DSN is not set: start a server with tests/services/postgres.sh start and export the DSN it prints')
    import psycopg
    from psycopg.conninfo import make_conninfo
    schema = 'test_%s' % uuid.uuid4().hex[:12]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute('CREATE SCHEMA %s' % schema)
    try:
        yield make_conninfo(dsn, options='-c search_path=%s' % schema)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute('DROP SCHEMA %s CASCADE' % schema)
