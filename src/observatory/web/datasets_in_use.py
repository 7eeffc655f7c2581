"""The data sets in effect while a request runs: the package's and the observatory's own (``reporting.catalogue``).

``create_app`` adds ``DatasetsInUse`` with the catalogue made once from its settings; every route then lists, checks
and stores a data set declared in ``OBSERVATORY_DATASETS_DIR`` as it does the package's, through the one
``reporting.declaration.declaration``. A plain ASGI middleware: the context variable it sets is seen by the
endpoint, its dependencies and the threads they run in.
"""

from starlette.types import ASGIApp, Receive, Scope, Send

from observatory.reporting.catalogue import DatasetCatalogue
from observatory.reporting.declaration import using_catalogue


class DatasetsInUse:
    def __init__(self, app: ASGIApp, catalogue: DatasetCatalogue) -> None:
        self.app = app
        self.catalogue = catalogue

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with using_catalogue(self.catalogue):
            await self.app(scope, receive, send)
