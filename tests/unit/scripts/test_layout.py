"""The layout rules of plugins/ (issue "One house"): no file over 600 lines (a module file only by its docs), no
function in module_utils/lcm/ with more than 7 parameters, every __init__.py empty."""
import ast
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PLUGINS = os.path.join(ROOT, 'plugins')
MAX_LINES, MAX_PARAMETERS = 600, 7
DOC_BLOCKS = ('DOCUMENTATION', 'EXAMPLES', 'RETURN')


def _files():
    for dirpath, dirnames, filenames in os.walk(PLUGINS):
        dirnames.sort()
        for fn in sorted(filenames):
            if fn.endswith('.py'):
                yield os.path.join(dirpath, fn)


def _code_lines(path):
    """Lines of a file without its DOCUMENTATION / EXAMPLES / RETURN strings (module docs may be long)."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    lines = len(text.splitlines())
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) in DOC_BLOCKS for t in node.targets):
            lines -= node.end_lineno - node.lineno + 1
    return lines


def test_no_file_over_600_lines():
    long = ['%s: %d' % (os.path.relpath(p, ROOT), n) for p in _files() for n in [_code_lines(p)] if n > MAX_LINES]
    assert long == []


def test_no_function_in_lcm_with_more_than_7_parameters():
    found = []
    for path in _files():
        if os.sep + os.path.join('module_utils', 'lcm') + os.sep not in path:
            continue
        with open(path, encoding='utf-8') as f:
            tree = ast.parse(f.read())
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                a = node.args
                names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs if x.arg not in ('self', 'cls')]
                names += [x.arg for x in (a.vararg, a.kwarg) if x is not None]
                if len(names) > MAX_PARAMETERS:
                    found.append('%s:%d %s(%d)' % (os.path.relpath(path, ROOT), node.lineno, node.name, len(names)))
    assert found == []


def test_every_init_is_empty():
    assert [p for p in _files() if p.endswith('__init__.py') and os.path.getsize(p)] == []


def test_every_benchmark_and_script_compiles():
    """bench/ and scripts/ run by hand (sanity does not look at them): a syntax error there would show only on the day
    a benchmark is run."""
    bad = []
    for top in ('bench', 'scripts'):
        for name in sorted(os.listdir(os.path.join(ROOT, top))):
            if name.endswith('.py'):
                path = os.path.join(ROOT, top, name)
                with open(path) as f:
                    try:
                        compile(f.read(), path, 'exec')
                    except SyntaxError as e:
                        bad.append('%s:%s: %s' % (path, e.lineno, e.msg))
    assert not bad, bad
