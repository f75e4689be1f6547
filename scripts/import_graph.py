#!/usr/bin/env python3
"""Print the import graph of plugins/ from the source, and fail on a cycle or an import that runs the wrong way.

    python scripts/import_graph.py [--quiet] [ROOT]     (exit status 1 when a rule is broken)

The layers of plugins/module_utils/ (docs/architecture.md), lowest first:
    base (and tags.py)  <-  openstack  <-  vnfd | chargeback | nfvi  <-  lcm  <-  ns  <-  plugins (modules, inventory, callback ...)
A file may import its own package and any lower layer, never a higher one nor a sibling of its layer (lcm, above all
three, may use vnfd and chargeback; ns, the NS lifecycle above lcm, may use lcm and everything below). tags.py imports
nothing of ours. vnfd/ is pure: only the files in VNFD_CLOUD may import openstack/, base/module.py, Ansible or openstacksdk. Plugins outside module_utils may import anything of
module_utils; module_utils imports no plugin. A function-level import needs a comment (on its line or the line above)
that says why. Files are parsed (ast), never imported.
"""
import ast
import os
import sys

PREFIX = 'ansible_collections.telco.nfvo.plugins.'
LAYERS = {'base': 0, 'tags': 0, 'openstack': 1, 'vnfd': 2, 'chargeback': 2, 'nfvi': 2, 'lcm': 3, 'ns': 4}
VNFD_CLOUD = {'module_utils/vnfd/glance.py'}
PURE_FORBIDDEN = ('ansible', 'openstack', 'keystoneauth1')  # third-party roots a pure vnfd file must not import


def package_of(name):
    """'module_utils/lcm/scale' -> 'lcm'; 'module_utils/tags' -> 'tags'; 'modules/vnf' -> None (a plugin)."""
    parts = name.split('/')
    if parts[0] != 'module_utils' or len(parts) < 2:
        return None
    return parts[1]


def module_name(target):
    """'ansible_collections.telco.nfvo.plugins.module_utils.lcm.scale' -> 'module_utils/lcm/scale'."""
    return target[len(PREFIX):].replace('.', '/')


def imports_of(path, plugins_dir):
    """[(imported name, line, function-level?, commented?)] of one file: our modules by 'module_utils/pkg/file' names,
    third-party ones by their dotted name."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    lines = text.splitlines()
    tree = ast.parse(text, path)
    out = []

    def commented(node):
        """A comment on the import's line, or above the block of imports it belongs to."""
        if '#' in lines[node.lineno - 1]:
            return True
        n = node.lineno - 2
        while n >= 0 and lines[n].strip().startswith(('from ', 'import ')):
            n -= 1
        return n >= 0 and lines[n].strip().startswith('#')

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                if child.module.startswith(PREFIX):
                    for alias in child.names:  # 'from ...module_utils.lcm import scale' names a module
                        full = child.module + '.' + alias.name
                        as_file = os.path.join(plugins_dir, module_name(full) + '.py')
                        target = full if os.path.exists(as_file) else child.module
                        out.append((module_name(target), child.lineno, in_function, commented(child)))
                else:
                    out.append((child.module, child.lineno, in_function, commented(child)))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    name = module_name(alias.name) if alias.name.startswith(PREFIX) else alias.name
                    out.append((name, child.lineno, in_function, commented(child)))
            visit(child, inner)

    visit(tree, False)
    return out


def check(root):
    plugins_dir = os.path.join(root, 'plugins')
    graph, problems = {}, []
    for dirpath, dirnames, filenames in os.walk(plugins_dir):
        dirnames.sort()
        for fn in sorted(filenames):
            if not fn.endswith('.py') or fn == '__init__.py':
                continue
            path = os.path.join(dirpath, fn)
            name = os.path.relpath(path, plugins_dir)[:-3]
            edges = graph.setdefault(name, set())
            for target, line, in_function, commented in imports_of(path, plugins_dir):
                where = '%s.py:%d' % (name, line)
                ours = target.startswith(('module_utils/', 'plugin_utils/', 'modules/', 'doc_fragments/'))
                if in_function and not commented:
                    problems.append('%s: function-level import of %s without a comment saying why' % (where, target))
                if not ours:
                    if name.startswith('module_utils/vnfd/') and name + '.py' not in VNFD_CLOUD \
                            and target.split('.')[0] in PURE_FORBIDDEN:
                        problems.append('%s: vnfd/ is pure, but it imports %s' % (where, target))
                    continue
                edges.add(target)
                src, dst = package_of(name), package_of(target)
                if name.startswith('module_utils/') and dst is None:
                    problems.append('%s: module_utils imports the plugin %s' % (where, target))
                    continue
                if src is None or dst is None or src == dst:
                    continue
                if src == 'tags':
                    problems.append('%s: tags.py imports %s (it imports nothing of ours)' % (where, target))
                elif LAYERS[dst] >= LAYERS[src]:
                    problems.append('%s: %s/ imports %s (%s is not below %s)' % (where, src, target, dst, src))
                if src == 'vnfd' and name + '.py' not in VNFD_CLOUD and (dst == 'openstack' or target == 'module_utils/base/module'):
                    problems.append('%s: vnfd/ is pure, but it imports %s' % (where, target))
    problems += ['import cycle: %s' % ' -> '.join(c) for c in cycles(graph)]
    return graph, problems


def cycles(graph):
    """Every elementary cycle found by a depth-first search (each reported once, from its smallest node)."""
    found, seen = [], set()

    def walk(node, path, on_path):
        for nxt in sorted(graph.get(node, ())):
            if nxt in on_path:
                cycle = path[path.index(nxt):] + [nxt]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    found.append(cycle)
            elif nxt not in done:
                on_path.add(nxt)
                walk(nxt, path + [nxt], on_path)
                on_path.discard(nxt)
        done.add(node)

    done = set()
    for start in sorted(graph):
        if start not in done:
            walk(start, [start], {start})
    return found


def main(argv):
    quiet = '--quiet' in argv
    args = [a for a in argv if a != '--quiet']
    root = args[0] if args else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    graph, problems = check(root)
    if not quiet:
        for name in sorted(graph):
            if graph[name]:
                print('%s -> %s' % (name, ', '.join(sorted(graph[name]))))
    for p in problems:
        print('PROBLEM: %s' % p)
    print('%d files, %d imports of our own, %d problem(s)' % (len(graph), sum(len(v) for v in graph.values()), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
