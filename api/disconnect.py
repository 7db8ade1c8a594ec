"""Stop the work of a client that has gone: ASGI middleware for the query routes.

uvicorn does not cancel a request's handler when its client hangs up; the handler would wait for
its query to the end (up to the timeout), holding a worker nobody waits for. This middleware reads
the request's body first (it is small: a query), hands the handler a replay of it, and listens for
the client's `http.disconnect` while the handler runs. When the client goes first, the handler is
cancelled, which stops its query (the store kills the worker and starts another).
"""

import asyncio
from collections.abc import Awaitable, Callable

Message = dict
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[dict, Receive, Send], Awaitable[None]]


class CancelOnDisconnect:
    def __init__(self, app: App, paths: tuple[str, ...], max_body_bytes: int) -> None:
        self.app = app
        self.paths = paths
        self.max_body_bytes = max_body_bytes  # a longer body is the route's to refuse (413): not buffered here

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        messages, whole = await self._read_body(receive)
        if messages[-1]["type"] == "http.disconnect":
            return  # gone before the query was even read
        replay = iter(messages)

        async def replayed() -> Message:
            return next(replay, None) or await receive()

        if not whole:
            await self.app(scope, replayed, send)
            return
        await self._run_watching(self.app(scope, replayed, send), receive)

    async def _read_body(self, receive: Receive) -> tuple[list[Message], bool]:
        """The request's messages up to its last body chunk (or a disconnect), and whether that is
        all of them (False: the body runs past the limit and the rest is left to the route)."""
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if message["type"] == "http.disconnect" or not message.get("more_body"):
                return messages, True
            if size > self.max_body_bytes:
                return messages, False

    @staticmethod
    async def _run_watching(handler: Awaitable[None], receive: Receive) -> None:
        """Runs the handler in this task while one small task listens: a task less per request
        than running the handler beside the listener."""
        this = asyncio.current_task()
        gone = False

        def on_message(listening: asyncio.Future) -> None:
            nonlocal gone
            if not listening.cancelled() and listening.result()["type"] == "http.disconnect":
                gone = True
                this.cancel()

        listening = asyncio.ensure_future(receive())  # after the body, the next message is the disconnect
        listening.add_done_callback(on_message)
        try:
            await handler
        except asyncio.CancelledError:
            if not gone:  # cancelled by the server (shutdown past its grace), not by the client leaving
                raise
            this.uncancel()
        finally:
            listening.remove_done_callback(on_message)
            listening.cancel()
