"""The staff workbench under /staff/, one URL namespace ("casework") assembled from the apps that serve it:
casework (queue, cases, bank pre-opening, production, dashboard) and cards (post, outlet counter). It is
assembled here, at the project level, because cards sits above casework: casework does not import cards."""

from sscard.cards import staff_urls as card_urls
from sscard.casework import urls as casework_urls

app_name = "casework"
urlpatterns = [*casework_urls.urlpatterns, *card_urls.urlpatterns]
