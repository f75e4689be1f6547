# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP side shared by the webhook event sources of telco.nfvo (alertmanager, lcm_notifications): an aiohttp
server on ``host``:``port`` that answers any path, checks a bearer ``token``, bounds the body at ``max_body_bytes``
(413), answers 400 to a body its source's parser refuses (``PayloadError``, logged, the source goes on) and puts
the parsed events on the rulebook's queue.

Not an event source itself (it has no ``main``): a source imports it as
``ansible_collections.telco.nfvo.extensions.eda.plugins.module_utils.webhook``, which ansible-rulebook (it runs a
source file with ``runpy``, outside any package) finds once the source has put its collections path on ``sys.path``.
aiohttp comes with ansible-rulebook: it is imported where the server is made, so the pure parts import without it.
"""
from __future__ import annotations

import asyncio
import hmac

DEFAULT_MAX_BODY = 1048576  # bytes


class PayloadError(ValueError):
    """A body that is not what the source accepts (answered 400, logged; the source goes on)."""


def authorized(header, token):
    """True when the ``Authorization`` header carries ``Bearer <token>`` (always, without a token)."""
    if not token:
        return True
    scheme, dummy, given = (header or '').partition(' ')
    return scheme.lower() == 'bearer' and hmac.compare_digest(given.strip().encode(), str(token).encode())


def make_app(name, log, queue, args, on_post, on_get):
    """The aiohttp application of a webhook source (separate from ``serve`` for the tests).

    ``on_post(body, path)`` returns ``(events, answer, status)``: the events to put on the queue, the JSON answer and
    its status; it raises ``PayloadError`` for a body it refuses. ``on_get()`` returns ``(answer or None, status)``
    (a liveness probe, a subscription test), answered without the token. ``name`` prefixes the log lines; ``args``
    are the source's (``token``, ``max_body_bytes``).
    """
    from aiohttp import web  # pylint: disable=import-outside-toplevel  # aiohttp comes with ansible-rulebook only

    token = args.get('token')

    def answer(body, status):
        return web.json_response(body, status=status) if body is not None else web.Response(status=status)

    async def receive(request):
        if request.method == 'GET':
            return answer(*on_get())
        if not authorized(request.headers.get('Authorization'), token):
            log.warning('%s: refused a post from %s: missing or wrong token', name, request.remote)
            return web.json_response({'error': 'missing or wrong bearer token'}, status=401)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            log.warning('%s: refused a post from %s: body over %s bytes', name, request.remote, request.client_max_size)
            return web.json_response({'error': 'body over %s bytes' % request.client_max_size}, status=413)
        try:
            events, reply, status = on_post(body, request.path)
        except PayloadError as exc:
            log.warning('%s: refused a post from %s: %s', name, request.remote, exc)
            return web.json_response({'error': str(exc)}, status=400)
        for event in events:
            event['meta'] = {'endpoint': request.path}
            await queue.put(event)
        return answer(reply, status)

    app = web.Application(client_max_size=int(args.get('max_body_bytes') or DEFAULT_MAX_BODY))
    app.router.add_route('*', '/{tail:.*}', receive)
    return app


async def serve(name, log, app, args, default_port):
    """Serve ``app`` on ``args`` host (127.0.0.1) and port (``default_port``) until cancelled."""
    from aiohttp import web  # pylint: disable=import-outside-toplevel  # as in make_app

    host, port = args.get('host') or '127.0.0.1', int(args.get('port') or default_port)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    log.info('%s: listening on %s:%s', name, host, port)
    try:
        await asyncio.Future()
    finally:
        await runner.cleanup()
