"""scripts/import_graph.py: the layers of plugins/module_utils hold (no cycle, nothing imported upwards, vnfd/ pure)."""
import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _script():
    spec = importlib.util.spec_from_file_location('import_graph', os.path.join(ROOT, 'scripts', 'import_graph.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_tree_has_no_cycle_and_no_upward_import():
    graph, problems = _script().check(ROOT)
    assert len(graph) > 30
    assert problems == []


def test_a_cycle_and_an_upward_import_are_found(tmp_path):
    mu = tmp_path / 'plugins' / 'module_utils'
    for pkg in ('base', 'lcm'):
        (mu / pkg).mkdir(parents=True)
    pre = 'from ansible_collections.telco.nfvo.plugins.module_utils'
    (mu / 'base' / 'a.py').write_text('%s.lcm import b\n' % pre)
    (mu / 'lcm' / 'b.py').write_text('%s.base import a\n' % pre)
    (mu / 'lcm' / 'c.py').write_text('def f():\n    %s.base import a\n' % pre)
    graph, problems = _script().check(str(tmp_path))
    assert any('base/ imports module_utils/lcm/b (lcm is not below base)' in p for p in problems), problems
    assert any(p.startswith('import cycle:') for p in problems), problems
    assert any('function-level import of module_utils/base/a without a comment' in p for p in problems), problems
