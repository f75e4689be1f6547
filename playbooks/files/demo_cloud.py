# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demo's look at the cloud without telco.nfvo (plain openstacksdk), so that what it shows is not our own word:
  python demo_cloud.py CLOUD delete-server SERVER_ID   delete a server behind the orchestrator's back, wait until gone
  python demo_cloud.py CLOUD leftovers NS_ID VNF_ID...  print (JSON) the servers, ports, networks and security groups still
                                                       marked with the NS or one of its VNF instances"""
from __future__ import annotations

import json
import sys

import openstack


def main(cloud, what, ident, *vnf_ids):
    conn = openstack.connect(cloud=cloud)
    if what == 'delete-server':
        server = conn.compute.get_server(ident)
        conn.compute.delete_server(server)
        conn.compute.wait_for_delete(server, wait=120)
        print(json.dumps({'deleted': server.id, 'name': server.name}))
        return
    tags = ['nfvo:ns=%s' % ident] + ['nfvo:vnf=%s' % vnf_id for vnf_id in vnf_ids]
    left = {
        'servers': sorted(s.name for s in conn.compute.servers()
                          if ident == s.metadata.get('nfvo_ns_instance_id') and s.status != 'DELETED'),
        'ports': sorted({p.name or p.id for tag in tags for p in conn.network.ports(tags=tag)}),
        'networks': sorted({n.name for tag in tags for n in conn.network.networks(tags=tag)}),
        'security_groups': sorted({g.name for tag in tags for g in conn.network.security_groups(tags=tag)}),
    }
    print(json.dumps(left))


if __name__ == '__main__':
    main(*sys.argv[1:])
