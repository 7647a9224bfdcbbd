"""The staff workbench under /staff/, one URL namespace ("casework") assembled from the apps that serve it:
casework (queue, cases, bank pre-opening, production, dashboard), cards (post, outlet counter) and records (the
employer registry), settlement (a designated institution's agreement and keys). It is assembled here, at the project level, because cards and records sit above casework:
casework imports neither."""

from sscard.cards import staff_urls as card_urls
from sscard.casework import urls as casework_urls
from sscard.records import staff_urls as records_urls
from sscard.settlement import staff_urls as settlement_urls

app_name = "casework"
urlpatterns = [*casework_urls.urlpatterns, *card_urls.urlpatterns, *records_urls.urlpatterns,
               *settlement_urls.urlpatterns]
